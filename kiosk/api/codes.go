package api

import "tramso/kiosk/httpjson"

// Error codes: the stable, machine-readable "code" of every error answer
// ({"error": prose, "code": code}, httpjson.Error). Clients switch on the
// code, never on the English prose, which may be reworded at any time. The
// frontend's ApiErrorCode union is generated from errorCodes
// (contract.go), and TestEveryErrorHasACode checks that every error the
// handlers answer uses one of them.
const (
	codeNoEndpoint = "no_endpoint" // no route for this method and path
	codeCrossSite  = "cross_site"  // from another site's page or for another host (crosssite.go)
	codeNotJSON    = "not_json"    // httpjson.CodeNotJSON, for a change sent without a JSON body (crosssite.go)
	codeInternal   = "internal"    // the kiosk failed; the prose says how

	codeBadMediaPath = "bad_media_path"
	codeNoMedia      = "no_media"
	codeBadQRSize    = "bad_qr_size"
	codeBadQRText    = "bad_qr_text" // too long for a QR code

	codeNoProcedure = "no_procedure"
	codeNoFlow      = "no_flow"
	codeNoLesson    = "no_lesson"
	codeBadLessons  = "bad_lessons" // the take-home summary's lesson list
	codeBadStep     = "bad_step"

	// Why a typed resume code did not open; the screen words each one.
	codeResumeMalformed    = "resume_malformed"
	codeResumeTypo         = "resume_typo"
	codeResumeUnknown      = "resume_unknown"
	codeResumeExpired      = "resume_expired"
	codeResumeOtherVersion = "resume_other_version"

	codeMissingText = "missing_text" // speech without ?text=
	codeBadText     = "bad_text"     // speech text the voice will not read
	codeNoVoice     = "no_voice"     // no voice for this language
	codeVoiceOff    = "voice_off"    // the kiosk's voice is switched off
	codeVoiceFailed = "voice_failed"
	codeNoRecording = "no_recording" // ?recorded_only=1 and the pack has no recording of the line

	codeStaffClosed        = "staff_closed" // staff mode needs the PIN first
	codePINNotSet          = "pin_not_set"
	codeWrongPIN           = "wrong_pin"  // with tries_left
	codePINLocked          = "pin_locked" // with locked_until
	codePINBusy            = "pin_busy"   // another PIN is being checked; try again in a moment
	codeBadStaffAction     = "bad_staff_action"
	codeHoursNotOffered    = "hours_not_offered" // an opening or a closing the staff card does not offer now (hours.ChoicesAt)
	codeNoWindow           = "no_window"         // browser mode has no window to act on
	codeNotEnrolled        = "not_enrolled"
	codeNothingToRestore   = "nothing_to_restore" // rollback with no earlier content
	codeRollbackFailed     = "rollback_failed"
	codePreviousNotWhole   = "previous_not_whole"  // rollback onto content whose files are gone or damaged
	codePreviousUnreadable = "previous_unreadable" // rollback onto content this version cannot read
	codeReadOnly           = "read_only"           // the data disk is read-only: nothing can be saved (store.Store.ReadOnly)

	codeUsageOff       = "usage_off" // the usage log is not running
	codeBadEvent       = "bad_event"
	codeUnknownSession = "unknown_session" // start a new usage session
)

// errorCodes lists every code an API error may carry, in the order the
// generated union shows them.
var errorCodes = []string{
	httpjson.CodeNotJSON, httpjson.CodeTooLarge, httpjson.CodeInvalidJSON, codeUnknownLang,
	codeNoEndpoint, codeCrossSite, codeInternal,
	codeBadMediaPath, codeNoMedia, codeBadQRSize, codeBadQRText,
	codeNoProcedure, codeNoFlow, codeNoLesson, codeBadLessons, codeBadStep,
	codeResumeMalformed, codeResumeTypo, codeResumeUnknown, codeResumeExpired, codeResumeOtherVersion,
	codeMissingText, codeBadText, codeNoVoice, codeVoiceOff, codeVoiceFailed, codeNoRecording,
	codeStaffClosed, codePINNotSet, codeWrongPIN, codePINLocked, codePINBusy, codeBadStaffAction, codeHoursNotOffered, codeNoWindow,
	codeNotEnrolled, codeNothingToRestore, codeRollbackFailed, codePreviousNotWhole, codePreviousUnreadable, codeReadOnly,
	codeUsageOff, codeBadEvent, codeUnknownSession,
}
