// Every question of the procedures assistant's content, with the way a
// resident reaches it by touch: the entry (a life event, or a procedure by
// its field) and the answers before it. The layout sweep walks each one to
// check the question and its answers fit the first screen.

/** [{ flow, question, enter: [testid…], answers: [[question, answer]…] }] */
export async function procedureQuestions(url) {
  const get = async (path) => (await fetch(url + path)).json();
  const index = await get('api/procedures?lang=vi');
  const entries = new Map(); // flow id → taps from home to its first question
  for (const le of index.life_events) {
    if (le.flow) entries.set(le.flow, ['tile-procedures', `life-event-${le.id}`]);
  }
  for (const p of index.procedures) {
    const d = await get(`api/procedures/${encodeURIComponent(p.code)}?lang=vi`);
    if (d.flow && !entries.has(d.flow)) {
      entries.set(d.flow, ['tile-procedures', 'procedures-by-field', `field-${p.field}`, `procedure-${p.code}`, 'procedures-start']);
    }
  }
  const out = [];
  for (const [flow, enter] of entries) {
    const f = await get(`api/flows/${encodeURIComponent(flow)}?lang=vi`);
    // Breadth first from the start: the shortest answers to each question.
    const seen = new Map([[f.start, []]]);
    const queue = [f.start];
    while (queue.length) {
      const id = queue.shift();
      const q = f.questions.find((x) => x.id === id);
      for (const a of q?.answers ?? []) {
        if (a.end || !a.next || seen.has(a.next)) continue;
        seen.set(a.next, [...seen.get(id), [id, a.id]]);
        queue.push(a.next);
      }
    }
    for (const [question, answers] of seen) out.push({ flow, question, enter, answers, q: f.questions.find((x) => x.id === question) });
  }
  return out;
}
