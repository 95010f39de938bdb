/** Mention text is untrusted: strip terminal escape and control sequences before printing it. */

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other ESC sequences, and the 8-bit C1 forms of CSI/OSC.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?|\u001b[@-_]?/g;
// C0 controls except \t and \n, DEL, C1 controls, and bidi overrides that can disguise text.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes escape sequences and control characters; keeps newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}

/** For one-line cells: also turns newlines and tabs into spaces and collapses runs of spaces. */
export function toOneLine(text: string): string {
  return stripControl(text).replace(/\s+/g, ' ').trim();
}
