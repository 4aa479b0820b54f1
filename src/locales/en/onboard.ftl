# onboard — English interface text.
# Every message here has a counterpart with the same id and variables in ../id/onboard.ftl
# (tests/locales.rs checks both files and every key the code uses).

## Shell and navigation
skip-link = Skip to main content
language-switch-title = Change the interface language
nav-label = Main
nav-heading = Users
nav-invitations = Invitations
nav-users = Users
nav-divisions = Divisions
nav-bulk = Bulk onboarding
nav-outbox = Outbox
nav-audit = Audit log
nav-profile = Profile
all-divisions = All divisions
session-ended-title = Please log in
session-ended-body = Your session has ended.
not-allowed-title = Not allowed
not-allowed-body = Invitation management is not available for your role. If you need to invite someone, contact your division manager or system administrator.
not-allowed-admin-body = Only administrators can use this page. If you need something changed here, contact your system administrator.
not-allowed-action = Go to your profile
not-found-title = Page not found
not-found-body = There is nothing at this address.
not-found-action = Go to the start page
loading = Loading…

## Common actions and fields
action-log-in = Log in
action-log-out = Log out
action-cancel = Cancel
action-continue = Continue
action-create = Create
action-delete = Delete
action-disable = Disable
action-edit = Edit
action-resend = Resend
action-revoke = Revoke
action-save = Save changes
field-username = Username
field-password = Password
field-email = Email
field-role = Role
field-division = Division
field-expires = Expires
# Screen-reader text after a button's label, naming the code it acts on.
sr-code = {" "}code { $code }
copy-action = Copy
copy-done = Copied
copy-manual = Press Ctrl+C
copy-done-status = Code copied to the clipboard.
copy-failed-status = The browser did not allow copying. The code is selected: press Ctrl+C to copy it.

## Statuses and roles
status-all = All
status-active = Active
status-used = Used
status-expired = Expired
status-revoked = Revoked
status-suspended = Suspended
role-admin = Admin
role-manager = Manager
role-staff = Staff

## Dates (short month names)
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Log in, log out, profile
login-title = Log in to onboard
login-subtitle = Manage your division's invitation codes.
login-logged-out = You have been logged out.
login-password-reset = Your new password is set. Log in with it.
reset-title = Choose a new password
reset-for = For the account { $username }. The link works once.
reset-invalid = This password-reset link is not valid: it was used, replaced by a newer one, or has expired.
reset-ask-admin = Ask your administrator for a new link.
reset-password-help = At least 12 characters; not a common password.
reset-submit = Set the new password
field-new-password = New password
login-new-here = New here? Use the invitation link your manager sent you, or
login-enter-code = enter an invitation code
logout-question = End your session on this device?
profile-title = Your profile
profile-welcome = Welcome aboard! Your account is ready.
profile-member-since = Member since

## Invitations dashboard
scope-every-division = Every division
create-invitation = Create Invitation
filters-label = Filter invitations
filter-status = Filter Status
filter-search = Search
filter-search-placeholder = Code, email or username
filter-per-page = Per page
filter-apply = Apply
loading-invitations = Loading invitations…
counts-label = Invitations by status
table-caption-invitations = Invitation codes
col-code = Code
col-email = Email
col-role = Role
col-status = Status
col-expires = Expires
col-used-by = Used By
col-actions = Actions
expires-soon = Expires soon
empty-invitations = No invitations match this view.
pager-label = Pagination
pager-previous = Previous
pager-next = Next
pager-summary = Page { $page } of { $pages } · { $total ->
        [one] { $total } invitation
       *[other] { $total } invitations
    }
pager-summary-capped = Page { $page } of { $pages } · { $total } or more invitations
flash-copied = Copy recorded. Select the highlighted code and press Ctrl+C to copy it.
flash-revoked = The invitation was revoked; its code no longer works.
flash-deleted = The invitation was deleted.
created-title = Invitation created
created-share = Share this code. It works once and expires
created-share-with = Share this code with { $email }. It works once and expires
create-email-hint = Optional. When set, only this address can redeem the code.
create-role-hint = Admin invitations are not tied to a division.
create-division-hint = The division the new hire joins.
create-role-note = Managers can only invite staff. For other roles, contact your system administrator.
create-expires-hint-roles = Default: 7 days from now. At most { $staff } days ahead for staff, { $manager } for managers, { $admin } for admins.
create-expires-hint-days = Default: 7 days from now. At most { $days } days ahead.
create-quota-left = { $left } of { $max } active codes left in { $division }.

## One invitation
invitation-title = Invitation
invitation-not-found = Invitation not found
invitation-back = Back to invitations
flash-updated = The invitation was updated.
flash-resent = The email is on its way again.
detail-created = Created
detail-created-by = {" "}by { $who }
edit-title = Edit invitation
edit-expires-utc = Expires (UTC)
timeline-title = Timeline
timeline-someone = someone
timeline-created = Created by { $who }
timeline-copied = Copied by { $who }
timeline-updated = Changed by { $who }
timeline-revoked = Revoked by { $who }
timeline-deleted = Deleted by { $who }
timeline-email-resent = Email sent again by { $who }
timeline-redeemed = Redeemed by { $who }
timeline-reported = Reported by its recipient as not meant for them
timeline-reinstated = Reinstated by { $who }
flash-reinstated = The report was lifted; the code works again unless something else stops it.
reported-explained = The person this code was given to reported that it is not meant for them. It cannot be used until an admin reinstates or revokes it.
action-reinstate = Reinstate
field-note = Note
note-help = Optional, up to 200 characters, e.g. "barista, starts 1 Dec". Only your team sees it.
reason-inviter-lost-authority = inviter lost authority
reason-reported-by-recipient = reported by recipient
timeline-redeem-failed = Failed redemption attempt ({ $reason })
timeline-redeem-failed-from = Failed redemption attempt ({ $reason }) from { $addr }
timeline-user-created = Account { $who } created
timeline-other = { $action } by { $who }
emails-title = Emails
emails-none = No email has been sent for this invitation.
mail-queued = Queued
mail-sent = Sent
mail-failed = Failed
mail-attempts = { $count ->
        [one] { $count } attempt
       *[other] { $count } attempts
    }
mail-last-error = Last error: { $error }

## Audit log
audit-download = Download CSV
audit-filters-label = Filter the audit log
audit-action = Action
audit-all-actions = All actions
audit-actor = Actor
audit-since = Since (UTC)
audit-until = Until (UTC)
audit-caption = Audit events
audit-col-time = Time
audit-col-address = Address
audit-col-details = Details
audit-pager-summary = Page { $page } of { $pages } · { $total ->
        [one] { $total } event
       *[other] { $total } events
    }

## Users and divisions
flash-user-disabled = { $user } was disabled; their sessions ended and their open codes are suspended.
user-active = Active
user-disabled = Disabled
flash-division-created = Division { $division } created.
flash-division-renamed = Division { $division } renamed.
nav-settings = Settings
flash-settings-saved = Settings saved. New codes follow them; codes already made keep their expiry.
settings-ceilings-title = How far ahead invitations may expire
settings-ceilings-help = The furthest expiry, in days from creation, for each role an invitation can carry.
settings-ceiling-for = { $role } (days)
tokens-title = API tokens
tokens-help = For scripts and integrations: send a token as "Authorization: Bearer <token>". It acts as you, within the scopes you give it.
tokens-created = Your new token. Copy it now: it is shown only this once.
tokens-secret = New token
tokens-revoked = The token was revoked; it no longer works.
tokens-name = Name
tokens-owner = Holder
tokens-scopes = Scopes
tokens-expires = Expires
tokens-expires-hint = Optional. Without a date the token works until you revoke it.
tokens-last-used = Last used
tokens-never = never
tokens-none = No tokens yet.
tokens-create = Create token
scope-read = list and read invitations and the audit trail
scope-write = create, copy and change invitations
scope-admin = divisions, people, settings and tokens
user-role-for = Role of { $user }
user-division-for = Division of { $user }
action-reset-password = Reset link
action-enable = Enable
flash-user-updated = { $user } was updated. Their open codes follow their new authority.
flash-user-enabled = { $user } can log in again.
flash-reset-link = One-time password-reset link for { $user }, valid for 24 hours. Hand it over privately; it is shown only now.
reset-link-label = Password-reset link
division-quota = Quota of active codes
division-quota-for = Quota of active codes for { $division }
division-no-quota = none
division-set-quota = Set
flash-division-quota = The quota of { $division } was saved.
flash-division-deleted = Division { $division } was deleted.
division-create-label = Create a division
division-slug = Slug
division-name = Name
division-create = Create division
division-rename = Rename
division-new-name = New name for { $division }

## Bulk onboarding
bulk-intro-header = Upload a CSV with the header
bulk-intro-rule = Every row is checked first; creating is all-or-nothing.
bulk-upload-label = Upload a CSV
bulk-file = CSV file
bulk-paste = Or paste CSV
bulk-check = Check rows (dry run)
bulk-pasted = pasted CSV
bulk-dry-run-title = Dry run: { $source }
bulk-all-valid = { $total ->
        [one] The row is valid.
       *[other] All { $total } rows are valid.
    }
bulk-create = { $total ->
        [one] Create { $total } invitation
       *[other] Create { $total } invitations
    }
bulk-start-over = Start over
bulk-some-bad = { $bad } of { $total } rows have problems. Nothing was created; fix them and upload again.
bulk-upload-corrected = Upload a corrected file
bulk-rows-caption = Rows and their verdicts
bulk-col-row = Row
bulk-col-verdict = Verdict
bulk-default-expiry = default (7 days)
bulk-ok = OK
bulk-created = { $total ->
        [one] { $total } invitation created.
       *[other] { $total } invitations created.
    }
bulk-download = Download codes (CSV)
bulk-upload-another = Upload another file
bulk-created-caption = Created invitations

## Outbox
outbox-intro = Invitation emails, newest first. Without an SMTP server configured they stay queued here.
outbox-filters-label = Filter the outbox
outbox-pager-summary = Page { $page } of { $pages } · { $total ->
        [one] { $total } message
       *[other] { $total } messages
    }
outbox-empty = No messages.
outbox-view-invitation = View invitation

## Joining
join-page-title = Join
join-title = Join your organisation
join-not-me-question = Not expecting an invitation from this organisation?
join-not-me = This invitation isn't for me
join-reported = Thank you. The code is now blocked, and the organisation's administrators can see your report.
join-checking = Checking your code…
join-enter-code = Enter the invitation code you received. It looks like ABCD-EFGH-JKMN-PQRS.
join-code-label = Invitation code
join-have-account = Already have an account?
join-problem-expired = This invitation code has expired. Ask your manager for a new one.
join-problem-not-found = We could not find this invitation code. Check it and try again.
join-your-invitation = Your invitation
join-invited-by = Invited by
join-inviter-manager = A manager of { $division }
join-inviter-admin = An administrator
join-inviter-someone = Someone in your organisation
join-email-required = Required: the address the invitation was sent to
join-email-optional = Optional
join-email-label-optional = Email (optional)
join-username-hint = 3–32 characters: a–z, 0–9, dot, underscore or dash, starting with a letter.
join-confirm-password = Confirm password
join-create-account = Create account
meter-empty = Use at least 12 characters.
meter-short = Too short: at least 12 characters.
meter-weak = Weak: add length or variety.
meter-fair = Fair.
meter-good = Good.
meter-strong = Strong.

## Errors by API code (English pages show the server's own sentence; these are its
## translations, kept here so both files stay parallel)
error-invalid_username = Choose a username of 3–32 characters: a–z, 0–9, dot, underscore or dash, starting with a letter.
error-weak_password = Choose a stronger password: at least 12 characters, not a common one, and matching its confirmation.
error-invalid_email = Enter a valid email address.
error-invalid_role = Choose a valid role.
error-invalid_division = Choose an existing division.
error-invalid_expires_at = Choose an expiry in the future.
error-invalid_code = Enter a valid invitation code.
error-invalid_slug = Use a slug of lower-case letters, digits and dashes.
error-invalid_name = Enter a name.
error-invalid_status = Choose a valid status.
error-invalid_query = Some filter values are not valid.
error-unauthenticated = You must be logged in.
error-invalid_credentials = Invalid username or password.
error-forbidden = You are not allowed to do this.
error-role_not_allowed = Managers can only invite staff; contact your system administrator for other roles.
error-not_found = Not found.
error-code_not_found = This invitation code does not exist.
error-code_expired = This invitation code has expired.
error-code_used = This invitation code has already been used.
error-code_revoked = This invitation code has been revoked.
error-code_suspended = This invitation code is suspended and cannot be used now; ask the person who invited you.
error-email_mismatch = The email does not match the address this invitation was sent to.
error-username_taken = That username is already taken.
error-invitation_not_active = This invitation can no longer be changed.
error-rate_limited = Too many attempts; please wait a minute and try again.
error-internal_error = Something went wrong on our side. Please try again.
error-password_mismatch = The two passwords differ; type the same password twice.
error-invalid_q = Search for at most 200 characters, without control characters.
error-invalid_note = Keep the note to 200 characters, without control characters.
error-invalid_file = The file could not be read as UTF-8 CSV text.
error-conflict = That could not be done because something changed meanwhile; reload and try again.
error-generic = That did not work. Check what you entered and try again.
error-rate_limited_secs = Too many attempts; try again in { $secs } seconds.
error-invalid_max_expiry_days = Choose a ceiling from 1 to 3650 days for every role.
error-invalid_max_active_codes = Choose a quota of 0 or more active codes, or none.
error-invalid_scopes = Choose one or more of the scopes invitations:read, invitations:write and admin.
error-quota_exceeded = The division's quota of active codes is used up.
error-quota_exceeded_n = The division's quota is used up: { $used } of { $max } active codes in use.
error-expiry_too_far = Choose an earlier expiry: it is past the ceiling for this role.
error-expiry_too_far_days = { $role } invitations may expire at most { $days } days ahead.
error-division_not_empty = This division still has people or invitations; move or remove them first.
error-insufficient_scope = This API token's scopes do not allow this.

# The invitation email (plain text; the code puts a blank line between paragraphs).
mail-subject = Your invitation to join { $division } on onboard
mail-whole-organisation = the whole organisation
mail-greeting = Hello,
mail-invited = You have been invited to join { $division } as { $role }.
mail-code = Your invitation code: { $code }
mail-link = Create your account here: { $link }
mail-expiry = The code works once and expires on { $expires }.
mail-use-address = Use this email address when you sign up.
mail-ignore = If you did not expect this message, you can ignore it.
mail-signature = — onboard

## Relative times (shown next to the absolute time)
rel-now = just now
rel-minutes-future = { $n ->
        [one] in 1 minute
       *[other] in { $n } minutes
    }
rel-minutes-past = { $n ->
        [one] 1 minute ago
       *[other] { $n } minutes ago
    }
rel-hours-future = { $n ->
        [one] in 1 hour
       *[other] in { $n } hours
    }
rel-hours-past = { $n ->
        [one] 1 hour ago
       *[other] { $n } hours ago
    }
rel-days-future = { $n ->
        [1] tomorrow
       *[other] in { $n } days
    }
rel-days-past = { $n ->
        [1] yesterday
       *[other] { $n } days ago
    }
rel-months-future = { $n ->
        [one] in 1 month
       *[other] in { $n } months
    }
rel-months-past = { $n ->
        [one] 1 month ago
       *[other] { $n } months ago
    }
rel-years-future = { $n ->
        [one] in 1 year
       *[other] in { $n } years
    }
rel-years-past = { $n ->
        [one] 1 year ago
       *[other] { $n } years ago
    }

## Confirmations for destructive actions
confirm-cancel = Cancel
confirm-revoke-title = Revoke { $code }?
confirm-revoke-body = Nobody will be able to join with this code any more. Revoking cannot be undone: to invite the person again, create a new code.
confirm-revoke-action = Revoke code
confirm-delete-title = Delete { $code }?
confirm-delete-body = The code leaves the list and can no longer be redeemed. Its history stays in the audit log. Deleting cannot be undone.
confirm-delete-action = Delete code
confirm-disable-title = Disable { $user }?
confirm-disable-body = { $user } is signed out everywhere, the open codes they created are suspended, their API tokens are revoked for good, and they cannot sign in until an admin enables the account again.
confirm-disable-action = Disable account
confirm-division-delete-title = Delete the division { $division }?
confirm-division-delete-body = Only a division without people or codes can be deleted. Deleting cannot be undone.
confirm-division-delete-action = Delete division
action-undo = Undo
undo-disable-sr = : enable { $user } again

## Dashboard extras
export-csv = Export CSV
shortcut-search = Press / to search

## Empty states: why a table is empty and what to do next
empty-invitations-hint = Try another status or search, or clear the filters to see every code.
empty-clear-filters = Clear filters
empty-invitations-none = No invitations yet.
empty-invitations-none-hint = Create a code, copy it and send it to your new hire.
users-empty = No people yet.
users-empty-hint = People join by redeeming an invitation code.
divisions-empty = No divisions yet.
divisions-empty-hint = Create the first one with the form above; managers and codes belong to a division.
outbox-empty-hint = Emails appear here when an invitation is bound to an email address.
tokens-none-hint = Create a token above to call the API from a script or another tool.
audit-empty = No events match these filters.
audit-empty-hint = Widen the time range or choose another action.

## The audit log in words: a label per action and a sentence per event
audit-label-login-succeeded = Signed in
audit-says-login-succeeded = { $who } signed in
audit-label-login-failed = Sign-in failed
audit-says-login-failed = A sign-in as { $user } failed ({ $reason })
audit-label-logout = Signed out
audit-says-logout = { $who } signed out
audit-label-invitation-created = Invitation created
audit-says-invitation-created = { $who } created an invitation ({ $role }, expires { $date })
audit-says-invitation-created-for = { $who } created an invitation for { $email } ({ $role }, expires { $date })
audit-label-invitation-copied = Code copied
audit-says-invitation-copied = { $who } copied the code
audit-label-invitation-updated = Invitation changed
audit-says-invitation-updated = { $who } changed the invitation
audit-label-invitation-revoked = Invitation revoked
audit-says-invitation-revoked = { $who } revoked the invitation
audit-label-invitation-deleted = Invitation deleted
audit-says-invitation-deleted = { $who } deleted the invitation
audit-label-invitation-email-resent = Email sent again
audit-says-invitation-email-resent = { $who } sent the invitation email again to { $email }
audit-label-invitation-redeemed = Invitation redeemed
audit-says-invitation-redeemed = { $who } joined with the code as { $role }
audit-label-invitation-redeem-failed = Redemption failed
audit-says-invitation-redeem-failed = Someone tried to redeem the code: { $reason }
audit-label-invitation-reported = Reported as not mine
audit-says-invitation-reported = The recipient reported the code as not meant for them; it is suspended
audit-label-invitation-reinstated = Invitation reinstated
audit-says-invitation-reinstated = { $who } reinstated the code
audit-label-invitations-exported = List exported
audit-says-invitations-exported = { $who } exported the invitation list as CSV
audit-label-user-created = Account created
audit-says-user-created = The account { $user } was created ({ $role })
audit-label-user-updated = Account changed
audit-says-user-updated = { $who } changed the role or division of { $user }
audit-label-user-disabled = Account disabled
audit-says-user-disabled = { $who } disabled { $user }
audit-label-user-enabled = Account enabled
audit-says-user-enabled = { $who } enabled { $user } again
audit-label-user-password-reset-issued = Reset link issued
audit-says-user-password-reset-issued = { $who } issued a password reset link for { $user }
audit-label-user-password-reset = Password reset
audit-says-user-password-reset = { $user } chose a new password with a reset link
audit-label-division-created = Division created
audit-says-division-created = { $who } created the division { $name }
audit-label-division-updated = Division changed
audit-says-division-updated = { $who } changed the division { $name }
audit-label-division-deleted = Division deleted
audit-says-division-deleted = { $who } deleted the division { $name }
audit-label-token-created = API token created
audit-says-token-created = { $who } created the API token { $name }
audit-label-token-revoked = API token revoked
audit-says-token-revoked = { $who } revoked an API token
audit-label-settings-updated = Settings changed
audit-says-settings-updated = { $who } changed the expiry limits
audit-says-other = { $who }: { $action }
audit-fields = Fields
audit-someone = Someone

## Bulk import in progress
bulk-checking = Checking the file…
bulk-creating = { $total ->
        [one] Creating 1 code…
       *[other] Creating { $total } codes…
    }

## Phone header
account-menu = Account menu for { $user }

## Webhooks
nav-webhooks = Webhooks
webhooks-intro = Send onboarding events to your other tools (payroll, chat, HR). Each delivery is signed with the endpoint's secret (Standard Webhooks) and retried until it arrives.
webhooks-new = Add an endpoint
webhooks-url = Endpoint URL
webhooks-url-hint = An http or https address that answers 2xx. Private and local addresses are refused.
webhooks-description = Description (optional)
webhooks-events = Events
webhooks-add = Add endpoint
webhooks-created = Endpoint added. Copy its signing secret now: it is not shown again.
webhooks-secret = Signing secret
webhooks-pinged = Ping queued. It appears under the endpoint's deliveries in a moment.
webhooks-paused = Endpoint paused. New events are not sent to it until you resume it.
webhooks-resumed = Endpoint resumed.
webhooks-deleted = Endpoint deleted.
webhooks-disabled-alert = { $count ->
        [one] One endpoint was disabled after a day of failed deliveries. Check it, then resume it.
       *[other] { $count } endpoints were disabled after a day of failed deliveries. Check them, then resume them.
    }
webhooks-none = No endpoints yet
webhooks-none-hint = Add one below to receive events as they happen.
webhooks-endpoint = Endpoint
webhooks-failing-since = Failing since
webhooks-back = ← All webhooks
webhooks-deliveries = Deliveries
webhooks-no-deliveries = No deliveries yet
webhooks-no-deliveries-hint = Send a ping from the webhooks page to test the endpoint.
webhooks-event = Event
webhooks-response = Response
webhooks-attempts = Attempts
webhooks-when = Queued
webhooks-next-attempt = Next attempt
webhook-state-active = Active
webhook-state-paused = Paused
webhook-state-disabled = Disabled
delivery-delivered = Delivered
delivery-failed = Failed
delivery-pending = Pending
action-ping = Send ping
action-pause = Pause
action-resume = Resume
confirm-webhook-delete-title = Delete the endpoint { $url }?
confirm-webhook-delete-body = Its pending deliveries are dropped and its history is deleted. This cannot be undone.
confirm-webhook-delete-action = Delete endpoint
error-invalid_url = Enter an http or https address that is not private, loopback or link-local.
error-invalid_events = Choose one or more events.
error-invalid_description = Keep the description to 200 characters, without control characters.
audit-label-webhook-created = Webhook added
audit-label-webhook-updated = Webhook changed
audit-label-webhook-deleted = Webhook deleted
audit-label-webhook-disabled = Webhook disabled
audit-says-webhook-created = { $who } added the webhook { $url }
audit-says-webhook-updated = { $who } changed the webhook { $url }
audit-says-webhook-deleted = { $who } deleted the webhook { $url }
audit-says-webhook-disabled = The webhook { $url } was disabled after a day of failed deliveries

## Sign-in with the identity provider
login-or = or
login-with-provider = Sign in with { $name }
join-with-provider = Join with { $name }
join-with-provider-hint = Choose a username above, then confirm who you are with { $name } instead of choosing a password.
settings-signin-title = Sign-in
settings-oidc-off = Sign-in with your organisation's identity provider is not set up on this server (ONBOARD_OIDC_ISSUER).
settings-oidc-required = Managers and admins must sign in with { $name }
settings-oidc-required-hint = Their passwords stop working for signing in; staff keep theirs. API tokens are not affected.
error-oidc_failed = Signing in with the identity provider did not work. Please start again.
error-oidc_no_account = No account here belongs to this identity. New staff join with an invitation code.
error-oidc_email_unverified = Your identity provider has not verified your email address, so it cannot be matched to an account.
error-oidc_required = Managers and admins sign in with the organisation's identity provider.
error-account_disabled = This account is disabled. Ask an admin to enable it.
settings-signin-save = Update the sign-in rule
profile-oidc-title = Sign-in with { $name }
profile-oidc-on = This account is connected: signing in with { $name } opens it.
profile-oidc-off = Connect this account to { $name } to sign in with it instead of a password.
profile-oidc-link = Connect { $name }
profile-oidc-relink = Connect another { $name } identity
profile-oidc-linked = Connected. You can now sign in with your organisation's account.
audit-label-user-oidc-linked = Sign-in connected
audit-says-user-oidc-linked = { $who } connected their account to the identity provider
error-oidc_identity_taken = This identity already signs in to another account here. Sign in with it there, or ask an admin.
