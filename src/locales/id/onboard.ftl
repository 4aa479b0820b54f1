# onboard — teks antarmuka Bahasa Indonesia.
# Setiap pesan di sini punya padanan dengan id dan variabel yang sama di ../en/onboard.ftl.

## Kerangka dan navigasi
skip-link = Lewati ke konten utama
language-switch-title = Ganti bahasa antarmuka
nav-label = Utama
nav-heading = Pengguna
nav-invitations = Undangan
nav-users = Pengguna
nav-divisions = Divisi
nav-bulk = Orientasi massal
nav-outbox = Kotak keluar
nav-audit = Log audit
nav-profile = Profil
all-divisions = Semua divisi
session-ended-title = Silakan masuk
session-ended-body = Sesi Anda telah berakhir.
not-allowed-title = Tidak diizinkan
not-allowed-body = Pengelolaan undangan tidak tersedia untuk peran Anda. Jika Anda perlu mengundang seseorang, hubungi manajer divisi atau administrator sistem Anda.
not-allowed-admin-body = Halaman ini hanya untuk administrator. Jika Anda perlu mengubah sesuatu di sini, hubungi administrator sistem Anda.
not-allowed-action = Buka profil Anda
not-found-title = Halaman tidak ditemukan
not-found-body = Tidak ada apa pun di alamat ini.
not-found-action = Ke halaman awal
loading = Memuat…

## Tindakan dan kolom umum
action-log-in = Masuk
action-log-out = Keluar
action-cancel = Batal
action-continue = Lanjutkan
action-create = Buat
action-delete = Hapus
action-disable = Nonaktifkan
action-edit = Ubah
action-resend = Kirim ulang
action-revoke = Cabut
action-save = Simpan perubahan
field-username = Nama pengguna
field-password = Kata sandi
field-email = Email
field-role = Peran
field-division = Divisi
field-expires = Berlaku hingga
sr-code = {" "}kode { $code }
copy-action = Salin
copy-done = Tersalin
copy-manual = Tekan Ctrl+C

## Status dan peran
status-all = Semua
status-active = Aktif
status-used = Terpakai
status-expired = Kedaluwarsa
status-revoked = Dicabut
status-suspended = Ditangguhkan
role-admin = Admin
role-manager = Manajer
role-staff = Staf

## Tanggal (nama bulan singkat)
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = Mei
month-6 = Jun
month-7 = Jul
month-8 = Agu
month-9 = Sep
month-10 = Okt
month-11 = Nov
month-12 = Des

## Masuk, keluar, profil
login-title = Masuk ke onboard
login-subtitle = Kelola kode undangan divisi Anda.
login-logged-out = Anda telah keluar.
login-password-reset = Kata sandi baru Anda sudah disimpan. Masuk dengan kata sandi itu.
reset-title = Pilih kata sandi baru
reset-for = Untuk akun { $username }. Tautan ini hanya berlaku sekali.
reset-invalid = Tautan atur ulang kata sandi ini tidak berlaku: sudah dipakai, diganti tautan yang lebih baru, atau kedaluwarsa.
reset-ask-admin = Minta tautan baru kepada administrator Anda.
reset-password-help = Minimal 12 karakter; bukan kata sandi yang umum.
reset-submit = Simpan kata sandi baru
field-new-password = Kata sandi baru
login-new-here = Baru di sini? Gunakan tautan undangan dari manajer Anda, atau
login-enter-code = masukkan kode undangan
logout-question = Akhiri sesi Anda di perangkat ini?
profile-title = Profil Anda
profile-welcome = Selamat bergabung! Akun Anda sudah siap.
profile-member-since = Anggota sejak

## Dasbor undangan
scope-every-division = Setiap divisi
create-invitation = Buat Undangan
filters-label = Saring undangan
filter-status = Saring Status
filter-search = Cari
filter-search-placeholder = Kode, email, atau nama pengguna
filter-per-page = Per halaman
filter-apply = Terapkan
loading-invitations = Memuat undangan…
counts-label = Undangan menurut status
table-caption-invitations = Kode undangan
col-code = Kode
col-email = Email
col-role = Peran
col-status = Status
col-expires = Berlaku hingga
col-used-by = Dipakai oleh
col-actions = Tindakan
expires-soon = Segera kedaluwarsa
empty-invitations = Tidak ada undangan yang cocok dengan tampilan ini.
pager-label = Navigasi halaman
pager-previous = Sebelumnya
pager-next = Berikutnya
pager-summary = Halaman { $page } dari { $pages } · { $total } undangan
flash-copied = Penyalinan dicatat. Pilih kode yang disorot lalu tekan Ctrl+C untuk menyalinnya.
flash-revoked = Undangan telah dicabut; kodenya tidak berlaku lagi.
flash-deleted = Undangan telah dihapus.
created-title = Undangan dibuat
created-share = Bagikan kode ini. Kode hanya dapat dipakai sekali dan kedaluwarsa pada
created-share-with = Bagikan kode ini kepada { $email }. Kode hanya dapat dipakai sekali dan kedaluwarsa pada
create-email-hint = Opsional. Jika diisi, hanya alamat ini yang dapat memakai kode tersebut.
create-role-hint = Undangan admin tidak terikat pada divisi.
create-division-hint = Divisi tempat karyawan baru bergabung.
create-role-note = Manajer hanya dapat mengundang staf. Untuk peran lain, hubungi administrator sistem Anda.
create-expires-hint = Bawaan: 7 hari dari sekarang. Paling lama 90 hari ke depan.

## Satu undangan
invitation-title = Undangan
invitation-not-found = Undangan tidak ditemukan
invitation-back = Kembali ke daftar undangan
flash-updated = Undangan telah diperbarui.
flash-resent = Email sedang dikirim ulang.
detail-created = Dibuat
detail-created-by = {" "}oleh { $who }
edit-title = Ubah undangan
edit-expires-utc = Berlaku hingga (UTC)
timeline-title = Linimasa
timeline-someone = seseorang
timeline-created = Dibuat oleh { $who }
timeline-copied = Disalin oleh { $who }
timeline-updated = Diubah oleh { $who }
timeline-revoked = Dicabut oleh { $who }
timeline-deleted = Dihapus oleh { $who }
timeline-email-resent = Email dikirim ulang oleh { $who }
timeline-redeemed = Dipakai oleh { $who }
timeline-redeem-failed = Percobaan pemakaian gagal ({ $reason })
timeline-redeem-failed-from = Percobaan pemakaian gagal ({ $reason }) dari { $addr }
timeline-user-created = Akun { $who } dibuat
timeline-other = { $action } oleh { $who }
emails-title = Email
emails-none = Belum ada email yang dikirim untuk undangan ini.
mail-queued = Dalam antrean
mail-sent = Terkirim
mail-failed = Gagal
mail-attempts = { $count } percobaan
mail-last-error = Galat terakhir: { $error }

## Log audit
audit-download = Unduh CSV
audit-filters-label = Saring log audit
audit-action = Tindakan
audit-all-actions = Semua tindakan
audit-actor = Pelaku
audit-since = Sejak
audit-until = Sampai
audit-caption = Peristiwa audit
audit-col-time = Waktu
audit-col-address = Alamat
audit-col-details = Rincian
audit-pager-summary = Halaman { $page } dari { $pages } · { $total } peristiwa

## Pengguna dan divisi
flash-user-disabled = { $user } telah dinonaktifkan; sesinya berakhir dan kode terbukanya ditangguhkan.
user-active = Aktif
user-disabled = Nonaktif
flash-division-created = Divisi { $division } dibuat.
flash-division-renamed = Divisi { $division } diganti namanya.
division-create-label = Buat divisi
division-slug = Slug
division-name = Nama
division-create = Buat divisi
division-rename = Ganti nama
division-new-name = Nama baru untuk { $division }

## Orientasi massal
bulk-intro-header = Unggah CSV dengan header
bulk-intro-rule = Setiap baris diperiksa lebih dulu; pembuatan berlaku untuk semua baris atau tidak sama sekali.
bulk-upload-label = Unggah CSV
bulk-file = Berkas CSV
bulk-paste = Atau tempel CSV
bulk-check = Periksa baris (uji coba)
bulk-pasted = CSV yang ditempel
bulk-dry-run-title = Uji coba: { $source }
bulk-all-valid = Semua { $total } baris valid.
bulk-create = Buat { $total } undangan
bulk-start-over = Mulai ulang
bulk-some-bad = { $bad } dari { $total } baris bermasalah. Tidak ada yang dibuat; perbaiki lalu unggah lagi.
bulk-upload-corrected = Unggah berkas yang sudah diperbaiki
bulk-rows-caption = Baris dan hasil pemeriksaannya
bulk-col-row = Baris
bulk-col-verdict = Hasil
bulk-default-expiry = bawaan (7 hari)
bulk-ok = OK
bulk-created = { $total } undangan dibuat.
bulk-download = Unduh kode (CSV)
bulk-upload-another = Unggah berkas lain
bulk-created-caption = Undangan yang dibuat

## Kotak keluar
outbox-intro = Email undangan, terbaru lebih dulu. Tanpa server SMTP, email tetap dalam antrean di sini.
outbox-filters-label = Saring kotak keluar
outbox-pager-summary = Halaman { $page } dari { $pages } · { $total } pesan
outbox-empty = Tidak ada pesan.
outbox-view-invitation = Lihat undangan

## Bergabung
join-page-title = Bergabung
join-title = Bergabung dengan organisasi Anda
join-checking = Memeriksa kode Anda…
join-enter-code = Masukkan kode undangan yang Anda terima. Bentuknya seperti ABCD-EFGH-JKMN-PQRS.
join-code-label = Kode undangan
join-have-account = Sudah punya akun?
join-problem-expired = Kode undangan ini sudah kedaluwarsa. Mintalah kode baru kepada manajer Anda.
join-problem-not-found = Kode undangan ini tidak ditemukan. Periksa lalu coba lagi.
join-your-invitation = Undangan Anda
join-invited-by = Diundang oleh
join-inviter-manager = Seorang manajer { $division }
join-inviter-admin = Seorang administrator
join-inviter-someone = Seseorang di organisasi Anda
join-email-required = Wajib: alamat tujuan undangan ini
join-email-optional = Opsional
join-email-label-optional = Email (opsional)
join-username-hint = 3–32 karakter: a–z, 0–9, titik, garis bawah, atau tanda hubung, diawali huruf.
join-confirm-password = Konfirmasi kata sandi
join-create-account = Buat akun
meter-empty = Gunakan minimal 12 karakter.
meter-short = Terlalu pendek: minimal 12 karakter.
meter-weak = Lemah: tambah panjang atau variasi.
meter-fair = Cukup.
meter-good = Baik.
meter-strong = Kuat.

## Galat menurut kode API
error-invalid_username = Pilih nama pengguna 3–32 karakter: a–z, 0–9, titik, garis bawah, atau tanda hubung, diawali huruf.
error-weak_password = Pilih kata sandi yang lebih kuat: minimal 12 karakter, bukan kata sandi umum, dan sama dengan konfirmasinya.
error-invalid_email = Masukkan alamat email yang valid.
error-invalid_role = Pilih peran yang valid.
error-invalid_division = Pilih divisi yang ada.
error-invalid_expires_at = Pilih waktu kedaluwarsa di masa depan.
error-invalid_code = Masukkan kode undangan yang valid.
error-invalid_slug = Gunakan slug berisi huruf kecil, angka, dan tanda hubung.
error-invalid_name = Masukkan nama.
error-invalid_status = Pilih status yang valid.
error-invalid_query = Beberapa nilai saringan tidak valid.
error-unauthenticated = Anda harus masuk terlebih dahulu.
error-invalid_credentials = Nama pengguna atau kata sandi salah.
error-forbidden = Anda tidak diizinkan melakukan ini.
error-role_not_allowed = Manajer hanya dapat mengundang staf; hubungi administrator sistem untuk peran lain.
error-not_found = Tidak ditemukan.
error-code_not_found = Kode undangan ini tidak ada.
error-code_expired = Kode undangan ini sudah kedaluwarsa.
error-code_used = Kode undangan ini sudah dipakai.
error-code_revoked = Kode undangan ini telah dicabut.
error-code_suspended = Kode undangan ini ditangguhkan dan belum bisa dipakai; hubungi orang yang mengundang Anda.
error-email_mismatch = Email tidak cocok dengan alamat tujuan undangan ini.
error-username_taken = Nama pengguna itu sudah dipakai.
error-invitation_not_active = Undangan ini tidak dapat diubah lagi.
error-rate_limited = Terlalu banyak percobaan; tunggu sebentar lalu coba lagi.
error-internal_error = Terjadi kesalahan di pihak kami. Silakan coba lagi.
error-password_mismatch = Kedua kata sandi berbeda; ketik kata sandi yang sama dua kali.
error-invalid_q = Cari paling banyak 200 karakter, tanpa karakter kontrol.
error-invalid_note = Batasi catatan hingga 200 karakter, tanpa karakter kontrol.
error-invalid_file = Berkas tidak dapat dibaca sebagai teks CSV UTF-8.
error-conflict = Itu tidak dapat dilakukan karena ada yang berubah; muat ulang lalu coba lagi.
error-generic = Itu tidak berhasil. Periksa isian Anda lalu coba lagi.
error-rate_limited_secs = Terlalu banyak percobaan; coba lagi dalam { $secs } detik.
error-invalid_max_expiry_days = Pilih batas 1 sampai 3650 hari untuk setiap peran.
error-invalid_max_active_codes = Pilih kuota 0 kode aktif atau lebih, atau tanpa kuota.
error-invalid_scopes = Pilih satu atau lebih cakupan: invitations:read, invitations:write dan admin.
error-quota_exceeded = Kuota kode aktif divisi ini sudah habis.
error-quota_exceeded_n = Kuota divisi ini sudah habis: { $used } dari { $max } kode aktif terpakai.
error-expiry_too_far = Pilih masa berlaku yang lebih awal: melewati batas untuk peran ini.
error-expiry_too_far_days = Undangan { $role } paling lama berlaku { $days } hari ke depan.
error-division_not_empty = Divisi ini masih memiliki orang atau undangan; pindahkan atau hapus dulu.
error-insufficient_scope = Cakupan token API ini tidak mengizinkan tindakan ini.

# Email undangan (teks biasa; kode menaruh baris kosong di antara paragraf).
mail-subject = Undangan Anda untuk bergabung dengan { $division } di onboard
mail-whole-organisation = seluruh organisasi
mail-greeting = Halo,
mail-invited = Anda diundang untuk bergabung dengan { $division } sebagai { $role }.
mail-code = Kode undangan Anda: { $code }
mail-link = Buat akun Anda di sini: { $link }
mail-expiry = Kode ini hanya berlaku sekali dan kedaluwarsa pada { $expires }.
mail-use-address = Gunakan alamat email ini saat mendaftar.
mail-ignore = Jika Anda tidak mengharapkan pesan ini, abaikan saja.
mail-signature = — onboard
