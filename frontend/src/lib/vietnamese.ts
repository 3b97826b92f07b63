// Vietnamese text composition for the on-screen keyboard: a tone key puts
// its mark on the right vowel of the word being typed, the way a Vietnamese
// reader expects (hòa, thủy, hoàng, người), replacing any tone already there;
// pressing the same tone again removes it. Vowel letters with their own marks
// (ă â ê ô ơ ư) are keys of their own, so only the five tones compose.

export type Tone = 'grave' | 'acute' | 'hook' | 'tilde' | 'dot';

/** The combining mark of each tone (NFD). */
export const TONE_MARK: Record<Tone, string> = {
  grave: '\u0300', // huyền
  acute: '\u0301', // sắc
  hook: '\u0309', // hỏi
  tilde: '\u0303', // ngã
  dot: '\u0323', // nặng
};

const TONE_MARKS = new Set(Object.values(TONE_MARK));
// Marks that make a vowel letter of its own (circumflex, breve, horn).
const VOWEL_MODIFIERS = new Set(['\u0302', '\u0306', '\u031B']);
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

interface Letter {
  base: string;
  mods: string; // non-tone combining marks
  tone: string; // '' or one tone mark
}

function splitLetters(word: string): Letter[] {
  const out: Letter[] = [];
  for (const ch of word.normalize('NFD')) {
    const last = out[out.length - 1];
    if (TONE_MARKS.has(ch) && last) last.tone = ch;
    else if (/\p{M}/u.test(ch) && last) last.mods += ch;
    else out.push({ base: ch, mods: '', tone: '' });
  }
  return out;
}

const isVowel = (l: Letter) => VOWELS.has(l.base.toLowerCase());

/** Index of the letter that carries the tone in a word, or -1 when there is no vowel. */
export function toneIndex(letters: Letter[]): number {
  let end = -1;
  for (let i = letters.length - 1; i >= 0; i--) {
    if (isVowel(letters[i]!)) {
      end = i;
      break;
    }
  }
  if (end < 0) return -1;
  let start = end;
  while (start > 0 && isVowel(letters[start - 1]!)) start--;
  const prev = start > 0 ? letters[start - 1]!.base.toLowerCase() : '';
  const first = letters[start]!.base.toLowerCase();
  // In "qu" and in "gi" before another vowel, u and i are part of the consonant.
  if (end > start && ((prev === 'q' && first === 'u') || (prev === 'g' && first === 'i'))) start++;
  const cluster: number[] = [];
  for (let i = start; i <= end; i++) cluster.push(i);
  const marked = cluster.filter((i) => [...letters[i]!.mods].some((m) => VOWEL_MODIFIERS.has(m)));
  if (marked.length > 0) return marked[marked.length - 1]!;
  if (cluster.length >= 3) return cluster[1]!;
  if (cluster.length === 2) {
    const hasFinal = end < letters.length - 1;
    return hasFinal ? cluster[1]! : cluster[0]!;
  }
  return cluster[0]!;
}

/**
 * Apply tone to the last word of text. The same tone again removes it; a word
 * without a vowel is left as it is.
 */
export function applyTone(text: string, tone: Tone): string {
  const m = /(\S*)$/u.exec(text);
  const word = m?.[1] ?? '';
  if (!word) return text;
  const letters = splitLetters(word);
  const at = toneIndex(letters);
  if (at < 0) return text;
  const mark = TONE_MARK[tone];
  const had = letters.some((l) => l.tone === mark);
  for (const l of letters) l.tone = '';
  if (!had) letters[at]!.tone = mark;
  const rebuilt = letters.map((l) => l.base + l.mods + l.tone).join('').normalize('NFC');
  return text.slice(0, text.length - word.length) + rebuilt;
}
