import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSession, wipe } from '../../lib/session.svelte';
import { setTrackSink, type TrackEvent } from '../../lib/track';
import type { Check, Lesson, Step } from '../../lib/api';
import { LessonRun } from './lesson.svelte';
import { progress } from './progress.svelte';

const practice = { elements: [], hint: 'Chạm vào nút Đăng nhập', right: 'Đúng rồi' };

function step(n: number, withPractice = false): Step {
  return { n, text: `Bước ${n}`, hint: `Gợi ý ${n}`, ...(withPractice ? { practice } : {}) };
}

function check(question: string): Check {
  return {
    question,
    answers: [
      { text: 'Sai', correct: false },
      { text: 'Đúng', correct: true },
    ],
  };
}

function lessonOf(steps: Step[], checks: Check[] = []): Lesson {
  return {
    id: 'vneid-login',
    title: 'Đăng nhập VNeID',
    module: 'm1',
    module_title: 'Định danh',
    description: '',
    minutes: 5,
    cover: '',
    lang: 'vi',
    learnt: [],
    steps,
    checks,
    generation: 1,
  };
}

let events: TrackEvent[] = [];
let completions = 0;

// track() hands events over on a microtask; wait for them before looking.
const flush = () => new Promise((r) => setTimeout(r, 0));

function start(l: Lesson, startStep = 1): LessonRun {
  const run = new LessonRun(l.id, startStep, () => completions++);
  run.loaded(l);
  return run;
}

beforeEach(() => {
  startSession();
  events = [];
  completions = 0;
  setTrackSink((e) => events.push(e));
});

afterEach(() => {
  setTrackSink(() => {});
  wipe('test');
});

describe('LessonRun steps', () => {
  it('walks forward and back, never before the first step, and completes after the last', async () => {
    const run = start(lessonOf([step(1), step(2), step(3)]));
    run.prev();
    expect(run.idx).toBe(0);
    expect(run.nextLabel).toBe('tutorials.player.next');
    run.next();
    run.next();
    expect(run.idx).toBe(2);
    expect(run.nextLabel).toBe('tutorials.player.finish');
    expect(run.percent).toBe(100);
    run.prev();
    expect(run.idx).toBe(1);
    expect(run.percent).toBe(67);
    run.next();
    run.next();
    expect(completions).toBe(1);
    expect(progress().finished).toEqual(['vneid-login']);
    await flush();
    expect(events.map((e) => e.type)).toEqual(['tutorial_opened', 'tutorial_completed']);
  });

  it('records each step viewed, remembers it, and starts it without hint or nudge', async () => {
    const run = start(lessonOf([step(1), step(2)]));
    run.showHint = true;
    run.nudge = 'tutorials.player.practice_first';
    run.viewed(run.step!);
    expect(run.showHint).toBe(false);
    expect(run.nudge).toBe('');
    run.next();
    run.viewed(run.step!);
    expect(progress().lastStep['vneid-login']).toBe(2);
    await flush();
    expect(events.filter((e) => e.type === 'step_viewed').map((e) => e.step)).toEqual([1, 2]);
  });

  it('does nothing before the lesson has loaded', () => {
    const run = new LessonRun('vneid-login', 1, () => completions++);
    run.next();
    expect(run.idx).toBe(0);
    expect(completions).toBe(0);
  });
});

describe('LessonRun reading gating', () => {
  it('holds Next while the step text runs on unread, and never by a report from another step', () => {
    const run = start(lessonOf([step(1), step(2), step(3)]));
    run.textShown(0, false);
    expect(run.unread).toBe(true);
    expect(run.waiting).toBe(true);
    run.next();
    expect(run.idx).toBe(0);
    expect(run.nudge).toBe('tutorials.player.read_first');
    run.textShown(1, true); // the step going away (none here) says nothing of this one
    expect(run.unread).toBe(true);
    run.textShown(0, true);
    expect(run.waiting).toBe(false);
    run.next();
    expect(run.idx).toBe(1);
    run.textShown(0, false); // late report from the step that went
    expect(run.unread).toBe(false);
  });
});

describe('LessonRun practice gating', () => {
  it('holds Next on a practice step until it is tapped right', async () => {
    const run = start(lessonOf([step(1, true), step(2)]));
    expect(run.practiceOpen).toBe(true);
    expect(run.waiting).toBe(true);
    run.next();
    expect(run.idx).toBe(0);
    expect(run.nudge).toBe('tutorials.player.practice_first');
    // A wrong tap is a try: the nudge to try first goes.
    run.practiceWrong();
    expect(run.nudge).toBe('');
    run.next();
    expect(run.idx).toBe(0);
    run.practiceRight();
    expect(run.nudge).toBe('');
    expect(run.practiceOpen).toBe(false);
    expect(run.waiting).toBe(false);
    run.next();
    expect(run.idx).toBe(1);
    // Coming back, the practice stays solved: no second gate.
    run.prev();
    expect(run.practiceOpen).toBe(false);
    await flush();
    expect(events.filter((e) => e.type.startsWith('practice_'))).toEqual([
      { type: 'practice_wrong', tutorial: 'vneid-login', step: 1 },
      { type: 'practice_right', tutorial: 'vneid-login', step: 1 },
    ]);
  });
});

describe('LessonRun check questions', () => {
  it('goes to the checks after the last step and needs each answered right to finish', async () => {
    const run = start(lessonOf([step(1)], [check('Câu 1'), check('Câu 2')]));
    expect(run.nextLabel).toBe('tutorials.player.to_checks');
    run.next();
    expect(run.phase).toBe('checks');
    expect(run.checkIdx).toBe(0);
    expect(run.nextLabel).toBe('tutorials.check.next');
    expect(run.waiting).toBe(true);
    run.next();
    expect(run.checkIdx).toBe(0);
    expect(run.nudge).toBe('tutorials.player.check_first');
    run.checkWrong(); // an answer chosen, wrong: no longer "choose one first"
    expect(run.nudge).toBe('');
    run.next();
    expect(run.nudge).toBe('tutorials.player.check_first');
    run.checkPassed();
    expect(run.nudge).toBe('');
    expect(run.waiting).toBe(false);
    run.next();
    expect(run.checkIdx).toBe(1);
    expect(run.nextLabel).toBe('tutorials.check.finish');
    run.next();
    expect(completions).toBe(0);
    run.checkPassed();
    run.next();
    expect(completions).toBe(1);
    await flush();
    expect(events.filter((e) => e.type === 'check_passed').map((e) => e.step)).toEqual([1, 2]);
  });

  it('steps back from the first check to the last step, keeping answers given', () => {
    const run = start(lessonOf([step(1), step(2)], [check('Câu 1')]));
    run.next();
    run.next();
    run.checkPassed();
    run.prev();
    expect(run.phase).toBe('steps');
    expect(run.idx).toBe(1);
    run.next();
    run.next();
    expect(completions).toBe(1);
  });
});

describe('LessonRun resume and leaving', () => {
  it('opens at the resumed step, clamped to a lesson that has become shorter', async () => {
    expect(start(lessonOf([step(1), step(2), step(3)]), 2).idx).toBe(1);
    const run = start(lessonOf([step(1), step(2)]), 7);
    expect(run.idx).toBe(1);
    expect(run.resumeStep).toBe(2);
    await flush();
    expect(events.filter((e) => e.type === 'tutorial_opened')).toHaveLength(2);
  });

  it('keeps the step when the lesson reloads in another language, and counts one opening', async () => {
    const run = start(lessonOf([step(1), step(2), step(3)]), 3);
    run.loaded({ ...lessonOf([step(1), step(2), step(3)]), lang: 'en' });
    expect(run.idx).toBe(2);
    expect(run.data?.lang).toBe('en');
    await flush();
    expect(events.filter((e) => e.type === 'tutorial_opened')).toHaveLength(1);
  });

  it('a resume code made during the checks reopens the last step', () => {
    const run = start(lessonOf([step(1), step(2)], [check('Câu 1')]));
    run.next();
    run.next();
    expect(run.resumeStep).toBe(2);
  });

  it('leaving mid-lesson is an abandonment at the step shown; leaving after finishing is not', async () => {
    const run = start(lessonOf([step(1), step(2), step(3)]));
    run.next();
    run.left();
    const done = start(lessonOf([step(1)]));
    done.next();
    done.left();
    await flush();
    expect(events.filter((e) => e.type === 'tutorial_abandoned')).toEqual([
      { type: 'tutorial_abandoned', tutorial: 'vneid-login', step: 2 },
    ]);
  });

  // Outside QA s28, finding 8: a resident who left on check question 2 was
  // counted at the last step, and a wrong answer counted nowhere.
  it('during the checks: each question shown and each wrong answer is counted, and leaving is at the question', async () => {
    const run = start(lessonOf([step(1), step(2)], [check('Câu 1'), check('Câu 2'), check('Câu 3')]));
    run.next();
    run.next(); // question 1
    run.checkPassed();
    run.next(); // question 2
    run.checkWrong();
    run.left();
    await flush();
    const tut = 'vneid-login';
    expect(events.filter((e) => e.type.startsWith('check_') || e.type === 'tutorial_abandoned')).toEqual([
      { type: 'check_viewed', tutorial: tut, step: 1 },
      { type: 'check_passed', tutorial: tut, step: 1 },
      { type: 'check_viewed', tutorial: tut, step: 2 },
      { type: 'check_wrong', tutorial: tut, step: 2 },
      { type: 'check_abandoned', tutorial: tut, step: 2 },
    ]);
  });
});
