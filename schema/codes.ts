// Every problem code the parser and the validator report, with a one-line description (docs, designer, CLI).

/** Bounds the validator enforces (documented in schema/README.md). */
export const LIMITS = {
  fieldLength: { min: 0, max: 64 },
  inputexpires: { min: 100, max: 600_000 },
  repeat: { min: 0, max: 100 },
  transferTimeout: { min: 1, max: 600 },
  recordMaxtime: { min: 1, max: 3600 },
} as const;

export const PROBLEM_CODES: Readonly<Record<string, string>> = {
  // XML level: the document is refused before it is read.
  E_XML_SYNTAX: 'The text is not well-formed XML.',
  E_DOCTYPE: 'A <!DOCTYPE> declaration is present (refused: entity expansion and external entities).',
  E_ENTITY: 'An entity declaration or a reference to an undeclared entity is present.',
  E_PI: 'A processing instruction other than the XML declaration is present.',
  E_TOO_LARGE: 'The document is larger than the size limit (2 MiB by default).',
  E_TOO_DEEP: 'Elements are nested deeper than the depth limit (64 by default).',
  E_ENCODING: 'The bytes are not valid UTF-8.',
  // Structure: reported all at once, with a best-effort document.
  E_ROOT: 'The root element is not <vxml>.',
  E_NAMESPACE: 'An element is not in the namespace http://www.example.org/voicemail.',
  E_UNKNOWN_ELEMENT: 'An element the dialect does not define.',
  E_PLACEMENT: 'A dialect element in a place where it is not allowed.',
  E_UNKNOWN_ATTR: 'An attribute the element does not have.',
  E_MISSING_ATTR: 'A required attribute is missing.',
  E_ATTR_VALUE: 'An attribute value of the wrong type (integer, true/false).',
  E_IF_ORDER: 'Content of an <if> after an <elseif>/<else>, or an <elseif>/<else> after the <else>.',
  E_TEXT: 'Text where only elements may appear.',
  // Meaning: reported by validate().
  E_NO_MAIN: 'No form or menu has the id "main" (the entry point).',
  E_DUP_ID: 'Two forms or menus have the same id.',
  E_FORM_ID: 'A form or menu id is empty or contains whitespace or "#".',
  E_GOTO_TARGET: 'A goto/choice next is not "#id" of an existing form or menu, nor "hungup".',
  W_UNREACHABLE: 'A form or menu cannot be reached from main.',
  E_COND_SYNTAX: 'An if/elseif cond is not a valid expression.',
  E_EXPR_SYNTAX: 'An assign expr is not a valid expression.',
  E_FIELD_LENGTH: 'A field length is outside 0..64.',
  E_FIELD_TIMEOUT: 'A field inputexpires is outside 100..600000 milliseconds.',
  E_PROMPT_REPEAT: 'A prompt repeat is outside 0..100.',
  E_CHECK_URL: 'A field check is not an absolute http:// or https:// URL.',
  E_AUDIO_MISSING: 'An audio src does not name a file under the sound root.',
  E_CHOICE_OUTSIDE_MENU: 'A choice is not a direct child of a menu.',
  E_DUP_CHOICE: 'Two choices of a menu have the same dtmf.',
  E_CHOICE_DTMF: 'A choice dtmf is not one of 0-9, *, # or "other".',
  W_MENU_NO_CHOICE: 'A menu has no choice (it always ends the call).',
  E_EMPTY_PROMPT: 'A prompt has no audio and no tts.',
  E_VAR_NAME:
    'A field, record or assign name is not an identifier (letters, digits, _; not starting with a digit).',
  W_DEAD_CODE: 'Items after a goto or hangup in the same list never run.',
  E_TTS_VAR: 'A "${" in tts text does not start a well-formed ${name}.',
  E_TRANSFER_DEST:
    'A transfer dest is empty or contains characters other than digits, letters, + * # . _ @ -.',
  E_TRANSFER_TIMEOUT: 'A transfer timeout is outside 1..600 seconds.',
  E_RECORD_MAXTIME: 'A record maxtime is outside 1..3600 seconds.',
  // Reporting: ends a list capped at 100 problems (checkDocument, the API, ivr validate, the designer).
  E_MORE_PROBLEMS: 'More problems were found than are listed; at least one of those left out is an error.',
  W_MORE_PROBLEMS: 'More warnings were found than are listed.',
};
