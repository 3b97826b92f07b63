// Reading a screen aloud: what the resident sees, as the lines a voice says.
//
// Screens do not write a second, spoken copy of themselves: the narration of a
// screen with no recording is its own visible text, taken from the page at the
// moment the resident asks, so voice and screen can never disagree (a tailored
// fee, the commune's office address, a search result all read as shown).
//
// A line is the text of one block (a heading, a paragraph, a list item, a
// button…) in one language: a Vietnamese fallback inside an English sentence
// (lang="vi", see <T>) becomes its own line, so each is spoken by the right
// voice. Hidden things, decorations (aria-hidden) and anything marked
// data-no-say (what a resident typed) are never read.

export interface Line {
  text: string;
  /** The lang attribute in force where the text sits. */
  lang: string;
  /** The block the text belongs to, highlighted while it is read. */
  el: Element;
}

/** Elements whose text is read as one line. */
const BLOCKS =
  'h1,h2,h3,h4,h5,h6,p,li,dt,dd,th,td,figcaption,caption,label,legend,summary,blockquote,button,a,[role=button],[role=alert],[role=status],[data-say]';

/** Elements never read, with all they hold. */
const SILENT = 'script,style,template,svg,input,textarea,select,[aria-hidden=true],[hidden],[data-no-say],[inert]';

/** Longer lines are cut at sentence ends, so the voice starts sooner. */
const MAX_LINE = 300;

/** The lines of root, in reading (document) order. */
export function readLines(root: Element): Line[] {
  const lines: Line[] = [];
  const doc = root.ownerDocument;
  const rootLang = root.closest('[lang]')?.getAttribute('lang') ?? 'vi';
  const shown = new Map<Element, boolean>();
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let last: Line | undefined;
  let lastParent: Element | undefined;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    const raw = n.nodeValue ?? '';
    if (!parent || raw.trim() === '' || !visible(parent, root, shown)) continue;
    const el = blockOf(parent, root);
    const lang = parent.closest('[lang]')?.getAttribute('lang') || rootLang;
    if (last && last.el === el && last.lang === lang) {
      // Text from another element (a tile's label, then its hint) is a new
      // word even when the markup puts no space between them.
      last.text += parent === lastParent ? raw : ` ${raw}`;
    } else {
      last = { text: raw, lang, el };
      lines.push(last);
    }
    lastParent = parent;
  }
  return lines.flatMap(tidy);
}

function blockOf(el: Element, root: Element): Element {
  const block = el.closest(BLOCKS);
  return block && root.contains(block) ? block : root;
}

// Visible: not inside a silent element and rendered (takes up room). Answers
// are cached per element, since a screen has many text nodes per block.
function visible(el: Element, root: Element, cache: Map<Element, boolean>): boolean {
  const known = cache.get(el);
  if (known !== undefined) return known;
  let ok: boolean;
  if (el.matches(SILENT)) ok = false;
  else if (el !== root && el.parentElement && !visible(el.parentElement, root, cache)) ok = false;
  else ok = rendered(el);
  cache.set(el, ok);
  return ok;
}

function rendered(el: Element): boolean {
  if (typeof el.checkVisibility === 'function') return el.checkVisibility({ visibilityProperty: true });
  return el.getClientRects().length > 0;
}

// One spoken line: spaces collapsed, nothing without a letter or a digit,
// long ones cut after a sentence's end.
function tidy(line: Line): Line[] {
  const text = line.text.replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(text)) return [];
  return sentences(text).map((s) => ({ ...line, text: s }));
}

function sentences(text: string): string[] {
  if (text.length <= MAX_LINE) return [text];
  const out: string[] = [];
  let cur = '';
  for (const part of text.split(/(?<=[.!?;:])\s+/)) {
    if (cur && cur.length + part.length + 1 > MAX_LINE) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur} ${part}` : part;
  }
  if (cur) out.push(cur);
  return out;
}

/** The part of the page being read: the open dialog on top, else the screen. */
export function readingRoot(doc: Document = document): Element | null {
  const dialogs = doc.querySelectorAll('[aria-modal=true]');
  if (dialogs.length) return dialogs[dialogs.length - 1] ?? null;
  return doc.querySelector('[data-read-root]');
}

/** URL of the kiosk's voice saying line (GET /api/speech). */
export function speechURL(line: Pick<Line, 'text' | 'lang'>): string {
  return `api/speech?lang=${encodeURIComponent(line.lang)}&text=${encodeURIComponent(line.text)}`;
}
