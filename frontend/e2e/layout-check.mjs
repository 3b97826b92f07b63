// The layout sweep's in-page check (layout-sweep.test.mjs runs it on every
// resident screen, at every text size, orientation and contrast). It returns
// a list of problems, each naming the element; an empty list means:
//  - every control is fully inside the viewport, or inside a scroll region
//    ([data-scroll-region], components/ScrollRegion.svelte) whose "Xem thêm"
//    cue is showing, and no other element covers it (a hit test at its
//    centre), nor the shell's header and footer, nor a sticky row stuck
//    over it (outside QA s24 F6: "Xem kết quả" over the last "Sửa");
//  - every control is at least 64 CSS px each way;
//  - no text is clipped: no element hides overflowing content (scrollWidth /
//    scrollHeight against its box) unless it is a scroll region with its cue,
//    and no line of text (a Range's client rects, which reach the glyph tops
//    of stacked Vietnamese marks) sticks out of a clipping ancestor or the
//    viewport, nor below the edge of the control it labels (a key's "g");
//  - no content is wider than a box that clips nothing (a button, a tile,
//    a paragraph: scrollWidth against clientWidth), and no line of text runs
//    past the sides of the control it labels;
//  - no scroll region is squeezed shut: each shows at least a target's
//    height of what it holds (or all of it);
//  - no picture is taller than the part of its scroll region that shows, so
//    each can be seen whole (lesson pictures ran on under the "Xem thêm" cue
//    however far one scrolled).
// It is a plain function: page.evaluate() sends its source to the page.

export function layoutProblems() {
  const MIN_TARGET = 64;
  const SLACK = 1; // px: sub-pixel layout
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const problems = [];

  function name(el) {
    const id = el.closest('[data-testid]');
    const text = (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    const tag = el.tagName.toLowerCase() + (el.classList.length ? '.' + [...el.classList].filter((c) => !c.startsWith('svelte-')).join('.') : '');
    const own = el.getAttribute('data-testid');
    return `${own ? `[${own}]` : tag}${!own && id ? ` in [${id.getAttribute('data-testid')}]` : ''}${text ? ` "${text}"` : ''}`;
  }
  function visible(el) {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }
  // Text for screen readers only: the .visually-hidden pattern, as a class
  // or applied by a rule (a 1 px box that clips its content).
  const srOnly = (el) =>
    el.closest('.visually-hidden') !== null ||
    [...ancestry(el)].some((a) => {
      const r = a.getBoundingClientRect();
      return r.width <= 1 && r.height <= 1 && getComputedStyle(a).overflow === 'hidden';
    });
  function* ancestry(el) {
    for (let a = el; a && a !== document.body; a = a.parentElement) yield a;
  }
  const clips = (el) => {
    const s = getComputedStyle(el);
    return s.overflowX !== 'visible' || s.overflowY !== 'visible';
  };
  // The box an element clips its content to: its padding box.
  function clipBox(el) {
    const r = el.getBoundingClientRect();
    const left = r.left + el.clientLeft;
    const top = r.top + el.clientTop;
    return { left, top, right: left + el.clientWidth, bottom: top + el.clientHeight };
  }
  // The scroll region's cue counts only when it shows on screen.
  function cueShowing(region) {
    const cue = region.parentElement?.querySelector(':scope > [data-scroll-more]');
    if (!cue || !visible(cue)) return false;
    const r = cue.getBoundingClientRect();
    return r.top >= -SLACK && r.bottom <= vh + SLACK;
  }
  function isRegion(el) {
    return el.hasAttribute('data-scroll-region');
  }

  // The active layer: the topmost modal (or the closed notice, which covers
  // everything) if one is open, else the page.
  const LAYERS = '[aria-modal="true"], [role="alertdialog"], [role="dialog"], [data-testid="screen-closed"]';
  const modals = [...document.querySelectorAll(LAYERS)].filter(visible);
  const root = modals.length ? modals[modals.length - 1] : document.body;
  // The shell's bars matter only when no layer covers them.
  const bars = modals.length ? [] : [...document.querySelectorAll('header.bar, footer.bar')].filter(visible);

  // Where a box sticks out of what clips it. Returns a problem or ''.
  // below: content under a scroll region that shows its cue is fine.
  // A fixed box escapes the clipping of everything above it.
  const fixed = (el) => getComputedStyle(el).position === 'fixed';
  function outside(el, rect, what) {
    // The box of an inner region scrolled down that el sits above: el is
    // reached by scrolling it back, so an outer box cutting el at the top is
    // excused only while it holds that region's top whole.
    let inner = null;
    for (let a = fixed(el) ? null : el.parentElement; a && a !== document.documentElement; a = fixed(a) ? null : a.parentElement) {
      if (!clips(a)) continue;
      const c = clipBox(a);
      const cutTop = rect.top < c.top - SLACK;
      const cutBottom = rect.bottom > c.bottom + SLACK;
      const cutSide = rect.left < c.left - SLACK || rect.right > c.right + SLACK;
      if (!cutTop && !cutBottom && !cutSide) continue;
      // Above a region the resident (or the app, to show an answer) has
      // scrolled down is reachable the same way back.
      if (cutTop && !cutSide && isRegion(a) && a.scrollTop > SLACK) {
        inner ??= c;
        continue;
      }
      if (cutTop && !cutSide && inner && inner.top >= c.top - SLACK) continue;
      if (isRegion(a) && !cutSide && !cutTop && cueShowing(a)) return '';
      if (isRegion(a) && !cutSide && !cutTop) return `${what} is below the end of a scroll region that shows no "Xem thêm" cue`;
      const side = cutTop ? 'top' : cutBottom ? 'bottom' : 'side';
      return `${what} is cut at the ${side} by ${name(a)} (${Math.round(rect.top)}–${Math.round(rect.bottom)} vs ${Math.round(c.top)}–${Math.round(c.bottom)})`;
    }
    if ((rect.top < -SLACK && !(inner && inner.top >= -SLACK)) || rect.bottom > vh + SLACK || rect.left < -SLACK || rect.right > vw + SLACK) {
      return `${what} is outside the ${vw}×${vh} screen (${Math.round(rect.left)},${Math.round(rect.top)}–${Math.round(rect.right)},${Math.round(rect.bottom)})`;
    }
    return '';
  }

  // 1. Controls.
  const CONTROLS = 'button, a[href], input, select, textarea, [role="button"], [role="link"], [role="checkbox"], [role="radio"]';
  for (const el of root.querySelectorAll(CONTROLS)) {
    if (!visible(el) || el.closest('[data-no-sweep]') || el.closest('[inert]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < MIN_TARGET - SLACK || r.height < MIN_TARGET - SLACK) {
      problems.push(`${name(el)} is ${Math.round(r.width)}×${Math.round(r.height)} px, under the 64 px target`);
    }
    const out = outside(el, r, name(el));
    if (out) {
      problems.push(out);
      continue;
    }
    // Visible part: what clipping ancestors and the screen leave of it.
    let v = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    for (let a = fixed(el) ? null : el.parentElement; a; a = fixed(a) ? null : a.parentElement) {
      if (!clips(a) || a === document.documentElement || a === document.body) continue;
      const c = clipBox(a);
      v = { left: Math.max(v.left, c.left), top: Math.max(v.top, c.top), right: Math.min(v.right, c.right), bottom: Math.min(v.bottom, c.bottom) };
    }
    v = { left: Math.max(v.left, 0), top: Math.max(v.top, 0), right: Math.min(v.right, vw), bottom: Math.min(v.bottom, vh) };
    if (v.right - v.left < 4 || v.bottom - v.top < 4) continue; // scrolled below, behind the cue
    if (!bars.some((b) => b.contains(el))) {
      for (const bar of bars) {
        const b = bar.getBoundingClientRect();
        if (v.top < b.bottom - SLACK && v.bottom > b.top + SLACK && v.left < b.right && v.right > b.left) {
          problems.push(`${name(el)} is under the shell's ${bar.tagName.toLowerCase()}`);
        }
      }
    }
    const x = (v.left + v.right) / 2;
    const y = (v.top + v.bottom) / 2;
    // A touch-anywhere surface (the attract screen) may hold other buttons.
    const surface = r.width * r.height > (vw * vh) / 2;
    const hit = document.elementFromPoint(x, y);
    if (hit && !surface && !el.contains(hit) && !hit.contains(el)) {
      problems.push(`${name(el)} is covered by ${name(hit)} at ${Math.round(x)},${Math.round(y)}`);
    }
  }

  // Which sides of el's box real content (text, controls, pictures that are
  // not aria-hidden) sticks out of.
  function hiddenContent(el) {
    const c = clipBox(el);
    const out = { side: false, below: false };
    for (const d of el.querySelectorAll('*')) {
      if (d.closest('[aria-hidden="true"]') || !visible(d)) continue;
      const leaf = d.matches(CONTROLS) || d.tagName === 'IMG' || [...d.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
      if (!leaf) continue;
      const r = d.getBoundingClientRect();
      if (r.left < c.left - SLACK || r.right > c.right + SLACK) out.side = true;
      if (r.bottom > c.bottom + SLACK || r.top < c.top - SLACK) out.below = true;
      if (out.side && out.below) break;
    }
    return out;
  }

  // 1b. Nothing under a sticky row: a control or a line of text that a
  // stuck position: sticky element (not its own) lies over, even in part.
  const stuck = [...root.querySelectorAll('*')].filter((el) => getComputedStyle(el).position === 'sticky' && visible(el));
  if (stuck.length) {
    const overlaps = (a, b) => a.top < b.bottom - SLACK && a.bottom > b.top + SLACK && a.left < b.right - SLACK && a.right > b.left + SLACK;
    const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT) });
    const under = new Set();
    // What shows of a sticky element: its box inside what clips it (a
    // sticky column taller than its region lies under the region's edge).
    const shows = (el) => {
      let v = el.getBoundingClientRect().toJSON();
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        if (!clips(a)) continue;
        const c = clipBox(a);
        v = { left: Math.max(v.left, c.left), top: Math.max(v.top, c.top), right: Math.min(v.right, c.right), bottom: Math.min(v.bottom, c.bottom) };
      }
      return v;
    };
    const check = (el, rect) => {
      for (const bar of stuck) {
        if (bar.contains(el) || el.contains(bar) || under.has(el)) continue;
        // Only what scrolls with it can go under it; a sticky column beside
        // its neighbours overlaps none of them.
        if (el.closest('[data-scroll-region]') !== bar.closest('[data-scroll-region]')) continue;
        if (overlaps(rect, shows(bar))) {
          under.add(el);
          problems.push(`${name(el)} is under the sticky ${name(bar)}`);
        }
      }
    };
    for (const el of root.querySelectorAll(CONTROLS)) if (visible(el) && !el.closest('[data-no-sweep]')) check(el, el.getBoundingClientRect());
    const r = document.createRange();
    for (let n = texts.nextNode(); n; n = texts.nextNode()) {
      const el = n.parentElement;
      if (!el || !visible(el) || el.closest('[data-no-sweep], svg') || srOnly(el)) continue;
      r.selectNodeContents(n);
      for (const line of r.getClientRects()) if (line.width >= 1 && line.height >= 1) check(el, line);
    }
  }

  // 2. Boxes that hide their overflow.
  for (const el of root.querySelectorAll('*')) {
    if (!clips(el) || !visible(el) || el.closest('[data-no-sweep]')) continue;
    if (el.tagName === 'svg' || el.closest('svg') || el.tagName === 'IMG' || el.tagName === 'CANVAS' || el.tagName === 'INPUT') continue;
    if (srOnly(el)) continue;
    // Only what a resident would miss counts: decoration (aria-hidden, like
    // the attract screen's drawing) may be cropped.
    const hidden = hiddenContent(el);
    const wide = el.scrollWidth > el.clientWidth + SLACK && hidden.side;
    const tall = el.scrollHeight > el.clientHeight + SLACK && hidden.below;
    if (wide) problems.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth} px of content at the side`);
    if (tall && !isRegion(el)) {
      problems.push(`${name(el)} hides ${el.scrollHeight - el.clientHeight} px of content below (scrolls with no "Xem thêm" cue)`);
    } else if (tall && el.scrollTop + el.clientHeight < el.scrollHeight - SLACK && !cueShowing(el)) {
      problems.push(`${name(el)} scroll region has more below but no cue on screen`);
    }
  }
  // 2b. Content wider than its box, where the box clips nothing (a button,
  // a tile, a paragraph): it runs on over the border and its neighbour,
  // so no clipping ancestor shows it. Only boxes that hold text or are
  // controls; decoration (aria-hidden) is left to its own devices.
  for (const el of root.querySelectorAll('*')) {
    if (clips(el) || el.closest('[data-no-sweep], [aria-hidden="true"], svg') || srOnly(el)) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
    if (!ownText && !el.matches(CONTROLS)) continue;
    if (getComputedStyle(el).display.startsWith('inline') && !el.matches(CONTROLS)) continue; // inline boxes have no scroll size
    if (!visible(el) || el.scrollWidth <= el.clientWidth + SLACK) continue;
    const c = clipBox(el);
    const wide = [...el.childNodes].some((n) => {
      if (n.nodeType !== 3 || !n.nodeValue.trim()) return false;
      const r = document.createRange();
      r.selectNodeContents(n);
      return [...r.getClientRects()].some((line) => line.width >= 1 && (line.left < c.left - SLACK || line.right > c.right + SLACK));
    });
    if (wide || hiddenContent(el).side) problems.push(`${name(el)} holds content ${el.scrollWidth - el.clientWidth} px wider than its box (it runs past the side)`);
  }

  // 2c. A scroll region squeezed shut: what it holds shows in less than a
  // target's height (outside QA s26: standing up at text size 3, the call
  // banner left the search results 0 px, and the staff's answer unseen).
  // visible() skips a 0 px box, so this looks at the width alone.
  for (const region of root.querySelectorAll('[data-scroll-region]')) {
    if (region.closest('[data-no-sweep]') || !region.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const r = region.getBoundingClientRect();
    const holds = region.scrollHeight;
    if (r.width < 1 || holds <= SLACK) continue;
    if (region.clientHeight < Math.min(holds, MIN_TARGET) - SLACK) {
      problems.push(`${name(region)} scroll region shows ${region.clientHeight} px of the ${holds} px it holds`);
    }
  }

  if (document.documentElement.scrollHeight > vh + SLACK || document.documentElement.scrollWidth > vw + SLACK) {
    problems.push(`the page is ${document.documentElement.scrollWidth}×${document.documentElement.scrollHeight}, larger than the ${vw}×${vh} screen`);
  }

  // 3. Lines of text against their clipping ancestors and the screen.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  const range = document.createRange();
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !visible(el) || el.closest('[data-no-sweep], svg') || srOnly(el)) continue;
    range.selectNodeContents(n);
    // The control the text labels, if any: its glyphs stay inside its box
    // (the touch-anywhere surface of the attract screen is no label's box).
    const control = el.closest(CONTROLS);
    const own = control && root.contains(control) && control.getBoundingClientRect().width * control.getBoundingClientRect().height <= (vw * vh) / 2 ? clipBox(control) : null;
    for (const line of range.getClientRects()) {
      if (line.width < 1 || line.height < 1) continue;
      let out = outside(el, line, `text ${name(el)}`);
      // Below only: a line's box reaches above its letters, for marks
      // stacked on capitals that few words have; its foot is where the
      // tails of g, p and y and the dot of ạ go.
      if (!out && own && line.bottom > own.bottom + SLACK) {
        out = `text ${name(el)} runs below the edge of its control ${name(control)} (${Math.round(line.bottom)} vs ${Math.round(own.bottom)})`;
      }
      // Nor past its sides: a box that clips nothing lets a long word or
      // address run on over its border and the next tile (outside QA s26:
      // a lesson tile at text size 3).
      if (!out && own && (line.left < own.left - SLACK || line.right > own.right + SLACK)) {
        out = `text ${name(el)} runs past the side of its control ${name(control)} (${Math.round(line.left)}–${Math.round(line.right)} vs ${Math.round(own.left)}–${Math.round(own.right)})`;
      }
      if (out) {
        problems.push(out);
        seen.add(el);
        break;
      }
    }
  }

  // 4. Pictures a resident can see whole: none taller than what its scroll
  // region shows at once (a region squeezed under a target's height is
  // a problem of its own, not of its pictures).
  for (const img of root.querySelectorAll('[data-scroll-region] img')) {
    if (!visible(img) || img.closest('[aria-hidden="true"], [data-no-sweep]')) continue;
    const region = img.closest('[data-scroll-region]');
    const h = img.getBoundingClientRect().height;
    if (region.clientHeight >= MIN_TARGET && h > region.clientHeight + SLACK) {
      problems.push(`picture ${name(img)} is ${Math.round(h)} px tall, more than the ${region.clientHeight} px its scroll region shows: never seen whole`);
    }
  }
  return [...new Set(problems)];
}

// The on-screen keyboard is whole on the screen, as typing needs it: every
// key and the field inside the viewport and their scroll regions' boxes, not
// under a "Xem thêm" cue nor under anything else (a hit test at each key's
// corners), the screen not scrolled away from its top. layoutProblems lets
// a key below the fold pass when the cue shows; a keyboard must not (outside
// QA s26: with staff called, Dấu cách, Xóa hết and Tìm went under the cue).
export function keyboardProblems() {
  const kb = document.querySelector('[data-testid="keyboard"]');
  if (!kb) return ['no on-screen keyboard'];
  const problems = [];
  const parts = [document.querySelector('[data-testid="search-input"]'), ...kb.querySelectorAll('button')].filter(Boolean);
  for (const el of parts) {
    const r = el.getBoundingClientRect();
    const label = el.getAttribute('data-testid') ?? el.innerText;
    let box = { top: 0, bottom: window.innerHeight, left: 0, right: window.innerWidth };
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (!a.hasAttribute('data-scroll-region')) continue;
      if (a.scrollTop > 1) problems.push(`[${a.parentElement?.getAttribute('data-testid') ?? 'scroll region'}] around the keyboard is scrolled ${Math.round(a.scrollTop)} px`);
      const b = a.getBoundingClientRect();
      box = { top: Math.max(box.top, b.top), bottom: Math.min(box.bottom, b.bottom), left: Math.max(box.left, b.left), right: Math.min(box.right, b.right) };
    }
    if (r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.right > box.right + 1) {
      problems.push(`${label} is not whole on the screen (${Math.round(r.top)}–${Math.round(r.bottom)} px, room ${Math.round(box.top)}–${Math.round(box.bottom)} px)`);
      continue;
    }
    // The middle of each edge, inside the border (a corner is rounded off).
    const x = (r.left + r.right) / 2;
    const y = (r.top + r.bottom) / 2;
    const edges = [
      [x, r.top + 4],
      [x, r.bottom - 4],
      [r.left + 4, y],
      [r.right - 4, y],
    ];
    for (const [x, y] of edges) {
      const hit = document.elementFromPoint(x, y);
      if (hit && hit !== el && !el.contains(hit)) {
        const by = hit.closest('[data-scroll-more]') ? '"Xem thêm" cue' : (hit.closest('[data-testid]')?.getAttribute('data-testid') ?? hit.tagName.toLowerCase());
        problems.push(`${label} is under ${by} at (${Math.round(x)}, ${Math.round(y)})`);
        break;
      }
    }
  }
  return [...new Set(problems)];
}

// The kiosk's WebKit paints without a GPU: every frame of a smoothly eased
// animation is painted again in software, up to 60 a second, for as long as
// the screen shows (the attract screen's motion kept a core busy all day, and
// a busy core answers taps later). An endless animation must move in steps()
// (a handful of paints a second); a finite one (a fade-in) ends by itself.
// Returns a problem per endless animation with a smooth keyframe.
export function endlessMotionProblems() {
  const stepped = (easing) => easing.startsWith('steps(') || easing === 'step-start' || easing === 'step-end';
  const problems = [];
  for (const anim of document.getAnimations()) {
    const effect = anim.effect;
    if (!effect || anim.playState !== 'running' || effect.getComputedTiming().iterations !== Infinity) continue;
    // Each keyframe's easing runs to the next one; the last one's never runs.
    const smooth = effect
      .getKeyframes()
      .slice(0, -1)
      .map((k) => k.easing)
      .find((e) => !stepped(e));
    if (smooth === undefined) continue;
    const target = effect.target;
    const where = target ? target.tagName.toLowerCase() + [...target.classList].filter((c) => !c.startsWith('svelte-')).map((c) => '.' + c).join('') : '?';
    problems.push(`endless animation "${anim.animationName ?? anim.id}" on ${where} moves smoothly (${smooth}): give it steps()`);
  }
  return problems;
}

// Text that passes for the page's language without being in it: every
// visible text node with a letter whose nearest lang="" is the page's own must
// be one of own (the strings really in that language). In a language the
// kiosk has not translated, each Vietnamese line must carry lang="vi" and the
// «VI» badge (components/T.svelte), or a resident takes "Gọi cán bộ" for
// their own language. A control with no text but its aria-label is held to
// its name (i18n.ts named()).
export function passedOffProblems(own) {
  const lang = document.documentElement.lang;
  // A catalogue string with {placeholders} shows with its values filled in.
  const norm = (s) => s.trim().replace(/\s+/g, ' ');
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const exact = new Set(own.filter((s) => !/\{\w+\}/.test(s)).map(norm));
  const filled = own.filter((s) => /\{\w+\}/.test(s)).map((s) => new RegExp(`^${norm(s).split(/\{\w+\}/).map(esc).join('.+?')}$`, 'su'));
  const isOwn = (t) => exact.has(t) || filled.some((re) => re.test(t));
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim().replace(/\s+/g, ' ');
    // A keyboard's key, a code, a web address: one letter, or one ASCII
    // word, is not prose in any language.
    if ([...text].length < 2 || !/\p{L}/u.test(text) || /^[\x21-\x7e]+$/.test(text) || isOwn(text)) continue;
    const el = n.parentElement;
    if (el.closest('[lang]')?.getAttribute('lang') !== lang || !el.checkVisibility()) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    if (range.getClientRects().length === 0) continue;
    seen.add(text);
  }
  // A control named only by its aria-label (an icon button) speaks its name
  // in its own language: a Vietnamese name must mark the control lang="vi".
  for (const el of document.querySelectorAll('[aria-label]')) {
    const name = el.getAttribute('aria-label').trim().replace(/\s+/g, ' ');
    const ownText = [...el.textContent.trim()].length > 1;
    if (ownText || !/\p{L}/u.test(name) || isOwn(name) || !el.checkVisibility()) continue;
    if (el.closest('[lang]')?.getAttribute('lang') === lang) seen.add(`${name} (the name of <${el.tagName.toLowerCase()}>)`);
  }
  return [...seen].map((t) => `"${t}" is shown as ${lang}, but is not in it`);
}

// High contrast (outside QA s24 F1): every control must read as one, on black.
// A control shows its shape by a border whose colour differs from what lies
// behind it, or by a fill that does; a picture from the content pack inside
// it (an icon, drawn for the paper background in the pack's colours: any
// picture up to 160 px) sits on a light plate. Returns a problem per control that fails.
export function contrastProblems() {
  const problems = [];
  const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const opaque = (c) => {
    const v = rgb(c);
    return v.length >= 3 && (v.length < 4 || v[3] > 0.5);
  };
  const same = (a, b) => rgb(a).slice(0, 3).join() === rgb(b).slice(0, 3).join();
  const light = (c) => {
    const [r, g, b] = rgb(c);
    return opaque(c) && 0.2126 * r + 0.7152 * g + 0.0722 * b > 200;
  };
  // The colour behind el: the first opaque background of an ancestor.
  function behind(el) {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const c = getComputedStyle(a).backgroundColor;
      if (opaque(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  }
  const name = (el) => {
    const id = el.getAttribute('data-testid') ?? el.closest('[data-testid]')?.getAttribute('data-testid') ?? el.tagName.toLowerCase();
    const text = (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return `[${id}]${text ? ` "${text}"` : ''}`;
  };
  const seen = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0 && r.width > 0 && r.height > 0;
  };
  for (const el of document.querySelectorAll('button, [role="button"]')) {
    if (!seen(el) || el.closest('[data-no-sweep]') || el.closest('[inert]')) continue;
    // The attract screen's touch-anywhere surface is the screen itself.
    const r = el.getBoundingClientRect();
    if (r.width * r.height > (innerWidth * innerHeight) / 2) continue;
    const s = getComputedStyle(el);
    const back = behind(el);
    const sides = ['Top', 'Right', 'Bottom', 'Left'];
    const border = sides.every((d) => parseFloat(s[`border${d}Width`]) >= 2 && s[`border${d}Style`] !== 'none' && opaque(s[`border${d}Color`]) && !same(s[`border${d}Color`], back));
    const fill = opaque(s.backgroundColor) && !same(s.backgroundColor, back);
    if (!border && !fill) problems.push(`${name(el)} has no border or fill that shows on ${back} (border ${s.borderTopWidth} ${s.borderTopColor}, fill ${s.backgroundColor})`);
    for (const img of el.querySelectorAll('img')) {
      if (seen(img) && img.getBoundingClientRect().width <= 160 && !light(getComputedStyle(img).backgroundColor)) problems.push(`${name(el)}: its picture sits on ${getComputedStyle(img).backgroundColor}, not on a light plate`);
    }
  }
  return problems;
}
