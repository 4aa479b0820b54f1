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
copy-done-status = Kode disalin ke papan klip.
copy-failed-status = Peramban tidak mengizinkan penyalinan. Kode sudah dipilih: tekan Ctrl+C untuk menyalinnya.

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
pager-summary-capped = Halaman { $page } dari { $pages } · { $total } undangan atau lebih
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
create-expires-hint-roles = Bawaan: 7 hari dari sekarang. Paling lama { $staff } hari ke depan untuk staf, { $manager } untuk manajer, { $admin } untuk admin.
create-expires-hint-days = Bawaan: 7 hari dari sekarang. Paling lama { $days } hari ke depan.
create-quota-left = Tersisa { $left } dari { $max } kode aktif di { $division }.

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
timeline-reported = Dilaporkan penerimanya sebagai bukan untuknya
timeline-reinstated = Dipulihkan oleh { $who }
flash-reinstated = Laporan dicabut; kode berlaku lagi kecuali ada hal lain yang menghentikannya.
reported-explained = Orang yang menerima kode ini melaporkan bahwa kode ini bukan untuknya. Kode tidak bisa dipakai sampai admin memulihkan atau mencabutnya.
action-reinstate = Pulihkan
field-note = Catatan
note-help = Opsional, paling banyak 200 karakter, mis. "barista, mulai 1 Des". Hanya tim Anda yang melihatnya.
reason-inviter-lost-authority = pengundang kehilangan wewenang
reason-reported-by-recipient = dilaporkan penerima
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
audit-since = Sejak (UTC)
audit-until = Sampai (UTC)
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
nav-settings = Pengaturan
flash-settings-saved = Pengaturan disimpan. Kode baru mengikutinya; kode yang sudah dibuat tetap dengan masa berlakunya.
settings-ceilings-title = Seberapa jauh masa berlaku undangan
settings-ceilings-help = Masa berlaku terjauh, dalam hari sejak dibuat, untuk setiap peran yang dibawa undangan.
settings-ceiling-for = { $role } (hari)
tokens-title = Token API
tokens-help = Untuk skrip dan integrasi: kirim token sebagai "Authorization: Bearer <token>". Token bertindak sebagai Anda, dalam cakupan yang Anda berikan.
tokens-created = Token baru Anda. Salin sekarang: token hanya ditampilkan kali ini.
tokens-secret = Token baru
tokens-revoked = Token dicabut; tidak berlaku lagi.
tokens-name = Nama
tokens-owner = Pemegang
tokens-scopes = Cakupan
tokens-expires = Berlaku sampai
tokens-expires-hint = Opsional. Tanpa tanggal, token berlaku sampai Anda mencabutnya.
tokens-last-used = Terakhir dipakai
tokens-never = tanpa batas
tokens-none = Belum ada token.
tokens-create = Buat token
scope-read = melihat undangan dan jejak audit
scope-write = membuat, menyalin, dan mengubah undangan
scope-admin = divisi, orang, pengaturan, dan token
user-role-for = Peran { $user }
user-division-for = Divisi { $user }
action-reset-password = Tautan atur ulang
action-enable = Aktifkan
flash-user-updated = { $user } diperbarui. Kode terbukanya mengikuti wewenang barunya.
flash-user-enabled = { $user } bisa masuk lagi.
flash-reset-link = Tautan atur ulang kata sandi sekali pakai untuk { $user }, berlaku 24 jam. Serahkan secara pribadi; hanya ditampilkan sekarang.
reset-link-label = Tautan atur ulang kata sandi
division-quota = Kuota kode aktif
division-quota-for = Kuota kode aktif untuk { $division }
division-no-quota = tanpa
division-set-quota = Simpan
flash-division-quota = Kuota { $division } disimpan.
flash-division-deleted = Divisi { $division } dihapus.
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
join-not-me-question = Tidak menyangka mendapat undangan dari organisasi ini?
join-not-me = Undangan ini bukan untuk saya
join-reported = Terima kasih. Kode ini sekarang diblokir, dan administrator organisasi dapat melihat laporan Anda.
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

## Relative times (shown next to the absolute time)
rel-now = baru saja
rel-minutes-future = dalam { $n } menit
rel-minutes-past = { $n } menit yang lalu
rel-hours-future = dalam { $n } jam
rel-hours-past = { $n } jam yang lalu
rel-days-future = { $n ->
        [1] besok
       *[other] dalam { $n } hari
    }
rel-days-past = { $n ->
        [1] kemarin
       *[other] { $n } hari yang lalu
    }
rel-months-future = dalam { $n } bulan
rel-months-past = { $n } bulan yang lalu
rel-years-future = dalam { $n } tahun
rel-years-past = { $n } tahun yang lalu

## Confirmations for destructive actions
confirm-cancel = Batal
confirm-revoke-title = Cabut { $code }?
confirm-revoke-body = Tidak ada lagi yang bisa bergabung dengan kode ini. Pencabutan tidak bisa dibatalkan: untuk mengundang orang itu lagi, buat kode baru.
confirm-revoke-action = Cabut kode
confirm-delete-title = Hapus { $code }?
confirm-delete-body = Kode hilang dari daftar dan tidak bisa lagi ditukarkan. Riwayatnya tetap ada di log audit. Penghapusan tidak bisa dibatalkan.
confirm-delete-action = Hapus kode
confirm-disable-title = Nonaktifkan { $user }?
confirm-disable-body = { $user } dikeluarkan dari semua sesi, kode terbuka yang ia buat ditangguhkan, token API-nya dicabut untuk selamanya, dan ia tidak bisa masuk sampai admin mengaktifkan akunnya lagi.
confirm-disable-action = Nonaktifkan akun
confirm-division-delete-title = Hapus divisi { $division }?
confirm-division-delete-body = Hanya divisi tanpa orang atau kode yang bisa dihapus. Penghapusan tidak bisa dibatalkan.
confirm-division-delete-action = Hapus divisi
action-undo = Urungkan
undo-disable-sr = : aktifkan { $user } lagi

## Dashboard extras
export-csv = Ekspor CSV
shortcut-search = Tekan / untuk mencari

## Empty states: why a table is empty and what to do next
empty-invitations-hint = Coba status atau pencarian lain, atau hapus filter untuk melihat semua kode.
empty-clear-filters = Hapus filter
empty-invitations-none = Belum ada undangan.
empty-invitations-none-hint = Buat kode, salin, lalu kirimkan ke karyawan baru Anda.
users-empty = Belum ada orang.
users-empty-hint = Orang bergabung dengan menukarkan kode undangan.
divisions-empty = Belum ada divisi.
divisions-empty-hint = Buat yang pertama dengan formulir di atas; manajer dan kode termasuk dalam sebuah divisi.
outbox-empty-hint = Email muncul di sini saat undangan terikat ke alamat email.
tokens-none-hint = Buat token di atas untuk memanggil API dari skrip atau alat lain.
audit-empty = Tidak ada peristiwa yang cocok dengan filter ini.
audit-empty-hint = Perluas rentang waktu atau pilih tindakan lain.

## The audit log in words: a label per action and a sentence per event
audit-label-login-succeeded = Masuk
audit-says-login-succeeded = { $who } masuk
audit-label-login-failed = Gagal masuk
audit-says-login-failed = Upaya masuk sebagai { $user } gagal ({ $reason })
audit-label-logout = Keluar
audit-says-logout = { $who } keluar
audit-label-invitation-created = Undangan dibuat
audit-says-invitation-created = { $who } membuat undangan ({ $role }, berlaku sampai { $date })
audit-says-invitation-created-for = { $who } membuat undangan untuk { $email } ({ $role }, berlaku sampai { $date })
audit-label-invitation-copied = Kode disalin
audit-says-invitation-copied = { $who } menyalin kode
audit-label-invitation-updated = Undangan diubah
audit-says-invitation-updated = { $who } mengubah undangan
audit-label-invitation-revoked = Undangan dicabut
audit-says-invitation-revoked = { $who } mencabut undangan
audit-label-invitation-deleted = Undangan dihapus
audit-says-invitation-deleted = { $who } menghapus undangan
audit-label-invitation-email-resent = Email dikirim ulang
audit-says-invitation-email-resent = { $who } mengirim ulang email undangan ke { $email }
audit-label-invitation-redeemed = Undangan ditukarkan
audit-says-invitation-redeemed = { $who } bergabung dengan kode ini sebagai { $role }
audit-label-invitation-redeem-failed = Penukaran gagal
audit-says-invitation-redeem-failed = Seseorang mencoba menukarkan kode: { $reason }
audit-label-invitation-reported = Dilaporkan bukan miliknya
audit-says-invitation-reported = Penerima melaporkan kode ini bukan untuknya; kode ditangguhkan
audit-label-invitation-reinstated = Undangan dipulihkan
audit-says-invitation-reinstated = { $who } memulihkan kode
audit-label-invitations-exported = Daftar diekspor
audit-says-invitations-exported = { $who } mengekspor daftar undangan sebagai CSV
audit-label-user-created = Akun dibuat
audit-says-user-created = Akun { $user } dibuat ({ $role })
audit-label-user-updated = Akun diubah
audit-says-user-updated = { $who } mengubah peran atau divisi { $user }
audit-label-user-disabled = Akun dinonaktifkan
audit-says-user-disabled = { $who } menonaktifkan { $user }
audit-label-user-enabled = Akun diaktifkan
audit-says-user-enabled = { $who } mengaktifkan { $user } lagi
audit-label-user-password-reset-issued = Tautan reset dibuat
audit-says-user-password-reset-issued = { $who } membuat tautan reset kata sandi untuk { $user }
audit-label-user-password-reset = Kata sandi direset
audit-says-user-password-reset = { $user } memilih kata sandi baru lewat tautan reset
audit-label-division-created = Divisi dibuat
audit-says-division-created = { $who } membuat divisi { $name }
audit-label-division-updated = Divisi diubah
audit-says-division-updated = { $who } mengubah divisi { $name }
audit-label-division-deleted = Divisi dihapus
audit-says-division-deleted = { $who } menghapus divisi { $name }
audit-label-token-created = Token API dibuat
audit-says-token-created = { $who } membuat token API { $name }
audit-label-token-revoked = Token API dicabut
audit-says-token-revoked = { $who } mencabut token API
audit-label-settings-updated = Pengaturan diubah
audit-says-settings-updated = { $who } mengubah batas masa berlaku
audit-says-other = { $who }: { $action }
audit-fields = Rincian
audit-someone = Seseorang

## Bulk import in progress
bulk-checking = Memeriksa berkas…
bulk-creating = Membuat { $total } kode…

## Phone header
account-menu = Menu akun { $user }

## Webhooks
nav-webhooks = Webhook
webhooks-intro = Kirim peristiwa orientasi ke alat Anda yang lain (penggajian, obrolan, SDM). Setiap pengiriman ditandatangani dengan rahasia endpoint (Standard Webhooks) dan diulang sampai tiba.
webhooks-new = Tambah endpoint
webhooks-url = URL endpoint
webhooks-url-hint = Alamat http atau https yang menjawab 2xx. Alamat privat dan lokal ditolak.
webhooks-description = Deskripsi (opsional)
webhooks-events = Peristiwa
webhooks-add = Tambah endpoint
webhooks-created = Endpoint ditambahkan. Salin rahasia penandatanganannya sekarang: rahasia ini tidak ditampilkan lagi.
webhooks-secret = Rahasia penandatanganan
webhooks-pinged = Ping diantrekan. Sebentar lagi ping muncul di daftar pengiriman endpoint.
webhooks-paused = Endpoint dijeda. Peristiwa baru tidak dikirim sampai Anda melanjutkannya.
webhooks-resumed = Endpoint dilanjutkan.
webhooks-deleted = Endpoint dihapus.
webhooks-disabled-alert = { $count ->
        [one] Satu endpoint dinonaktifkan setelah sehari gagal menerima pengiriman. Periksa, lalu lanjutkan.
       *[other] { $count } endpoint dinonaktifkan setelah sehari gagal menerima pengiriman. Periksa, lalu lanjutkan.
    }
webhooks-none = Belum ada endpoint
webhooks-none-hint = Tambahkan di bawah untuk menerima peristiwa saat terjadi.
webhooks-endpoint = Endpoint
webhooks-failing-since = Gagal sejak
webhooks-back = ← Semua webhook
webhooks-deliveries = Pengiriman
webhooks-no-deliveries = Belum ada pengiriman
webhooks-no-deliveries-hint = Kirim ping dari halaman webhook untuk menguji endpoint.
webhooks-event = Peristiwa
webhooks-response = Jawaban
webhooks-attempts = Percobaan
webhooks-when = Diantrekan
webhooks-next-attempt = Percobaan berikutnya
webhook-state-active = Aktif
webhook-state-paused = Dijeda
webhook-state-disabled = Nonaktif
delivery-delivered = Terkirim
delivery-failed = Gagal
delivery-pending = Menunggu
action-ping = Kirim ping
action-pause = Jeda
action-resume = Lanjutkan
confirm-webhook-delete-title = Hapus endpoint { $url }?
confirm-webhook-delete-body = Pengiriman yang menunggu dibuang dan riwayatnya dihapus. Ini tidak dapat dibatalkan.
confirm-webhook-delete-action = Hapus endpoint
error-invalid_url = Masukkan alamat http atau https yang bukan alamat privat, loopback, atau link-local.
error-invalid_events = Pilih satu atau lebih peristiwa.
error-invalid_description = Batasi deskripsi hingga 200 karakter, tanpa karakter kontrol.
audit-label-webhook-created = Webhook ditambahkan
audit-label-webhook-updated = Webhook diubah
audit-label-webhook-deleted = Webhook dihapus
audit-label-webhook-disabled = Webhook dinonaktifkan
audit-says-webhook-created = { $who } menambahkan webhook { $url }
audit-says-webhook-updated = { $who } mengubah webhook { $url }
audit-says-webhook-deleted = { $who } menghapus webhook { $url }
audit-says-webhook-disabled = Webhook { $url } dinonaktifkan setelah sehari gagal menerima pengiriman

## Sign-in with the identity provider
login-or = atau
login-with-provider = Masuk dengan { $name }
join-with-provider = Bergabung dengan { $name }
join-with-provider-hint = Pilih nama pengguna di atas, lalu konfirmasi identitas Anda dengan { $name } alih-alih memilih kata sandi.
settings-signin-title = Masuk
settings-oidc-off = Masuk dengan penyedia identitas organisasi Anda belum diatur di server ini (ONBOARD_OIDC_ISSUER).
settings-oidc-required = Manajer dan admin wajib masuk dengan { $name }
settings-oidc-required-hint = Kata sandi mereka tidak lagi dapat dipakai untuk masuk; staf tetap memakai kata sandinya. Token API tidak terpengaruh.
error-oidc_failed = Masuk dengan penyedia identitas tidak berhasil. Silakan mulai lagi.
error-oidc_no_account = Tidak ada akun di sini untuk identitas ini. Staf baru bergabung dengan kode undangan.
error-oidc_email_unverified = Penyedia identitas Anda belum memverifikasi alamat email Anda, jadi tidak dapat dicocokkan dengan akun.
error-oidc_required = Manajer dan admin masuk dengan penyedia identitas organisasi.
error-account_disabled = Akun ini dinonaktifkan. Minta admin untuk mengaktifkannya.
settings-signin-save = Perbarui aturan masuk
profile-oidc-title = Masuk dengan { $name }
profile-oidc-on = Akun ini sudah terhubung: masuk dengan { $name } membuka akun ini.
profile-oidc-off = Hubungkan akun ini ke { $name } untuk masuk dengannya alih-alih kata sandi.
profile-oidc-link = Hubungkan { $name }
profile-oidc-relink = Hubungkan identitas { $name } lain
profile-oidc-linked = Terhubung. Sekarang Anda dapat masuk dengan akun organisasi Anda.
audit-label-user-oidc-linked = Masuk terhubung
audit-says-user-oidc-linked = { $who } menghubungkan akunnya ke penyedia identitas
error-oidc_identity_taken = Identitas ini sudah dipakai untuk masuk ke akun lain di sini. Masuk dengannya di sana, atau hubungi admin.
