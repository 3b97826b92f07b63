import { describe, expect, it } from 'vitest';
import type { Flow } from '../../lib/api';
import { given, leadInto, setAnswer, setLead, walk } from './state.svelte';

// The marriage question asked on two branches (late, on time) as twins.
const married = [
  { id: 'married', text: 'Rồi', end: true },
  { id: 'father', text: 'Chưa', end: true },
];
const twins: Flow = {
  lang: 'vi',
  id: 'twins',
  start: 'age',
  questions: [
    {
      id: 'age',
      text: 'Tuổi?',
      answers: [
        { id: 'on-time', text: 'Đúng hạn', next: 'parents', end: false },
        { id: 'late', text: 'Quá hạn', next: 'parents-late', end: false },
      ],
    },
    { id: 'parents', text: 'Kết hôn?', same_as: 'parents-late', answers: married },
    { id: 'parents-late', text: 'Kết hôn?', same_as: 'parents', answers: married },
  ],
};

const birth: Flow = {
  lang: 'vi',
  id: 'khai-sinh',
  start: 'age',
  procedure: '1.001193',
  questions: [
    {
      id: 'age',
      text: 'Bé sinh được bao lâu rồi?',
      answers: [
        { id: 'on-time', text: 'Chưa quá 60 ngày', next: 'paper', end: false },
        { id: 'late', text: 'Đã quá 60 ngày', next: 'exempt', end: false },
      ],
    },
    {
      id: 'exempt',
      text: 'Hộ nghèo…?',
      answers: [
        { id: 'yes', text: 'Có', next: 'paper', end: false },
        { id: 'no', text: 'Không', next: 'paper', end: false },
      ],
    },
    {
      id: 'paper',
      text: 'Giấy chứng sinh?',
      answers: [
        { id: 'yes', text: 'Có', end: true },
        { id: 'unsure', text: 'Khác', end: true, ask_staff: true },
      ],
    },
  ],
};

describe('walk', () => {
  it('stops at the first unanswered question', () => {
    expect(walk(birth, {}).next).toBe('age');
    expect(walk(birth, { age: 'late' }).next).toBe('exempt');
  });
  it('ignores answers off the path after a change', () => {
    const w = walk(birth, { age: 'on-time', exempt: 'no', paper: 'yes' });
    expect(w.path.map((s) => s.question)).toEqual(['age', 'paper']);
    expect(w.end?.done).toBe(true);
  });
  it('asks a new branch after a change', () => {
    expect(walk(birth, { age: 'late', paper: 'yes' }).next).toBe('exempt');
  });
  it('reports ask-staff ends and unknown answers as unanswered', () => {
    expect(walk(birth, { age: 'on-time', paper: 'unsure' }).end?.askStaff).toBe(true);
    expect(walk(birth, { age: 'tomorrow' }).next).toBe('age');
  });
  it('never loops on a broken flow', () => {
    const loop: Flow = { ...birth, questions: [{ id: 'age', text: 'x', answers: [{ id: 'a', text: 'a', next: 'age', end: false }] }] };
    expect(walk(loop, { age: 'a' }).end).toBeUndefined();
  });
  it('takes the answer given to the same question on another branch (same_as)', () => {
    // Answered late, then changed to on time: not asked again.
    const w = walk(twins, { age: 'on-time', 'parents-late': 'married' });
    expect(w.next).toBeUndefined();
    expect(w.path).toEqual([
      { question: 'age', answer: 'on-time' },
      { question: 'parents', answer: 'married' },
    ]);
    expect(walk(twins, { age: 'late' }).next).toBe('parents-late');
  });
  it('keeps twins to one answer, so a changed answer is not undone by the other branch', () => {
    // Late and married; changed to on time, then to "not married"; back to late.
    setAnswer(twins, 'age', 'late');
    setAnswer(twins, 'parents-late', 'married');
    setAnswer(twins, 'age', 'on-time');
    setAnswer(twins, 'parents', 'father');
    setAnswer(twins, 'age', 'late');
    expect(walk(twins, given('twins')).path).toEqual([
      { question: 'age', answer: 'late' },
      { question: 'parents-late', answer: 'father' },
    ]);
  });
});

// A life event ("Gia đình có em bé" → "Đến xã làm giấy khai sinh") leads
// into a procedure: its questions count before the procedure's, and the way
// of filing it chose goes to the result.
describe('lead into a procedure', () => {
  const event: Flow = {
    lang: 'vi',
    id: 'le-em-be',
    start: 'how',
    life_event: 'em-be',
    questions: [
      {
        id: 'how',
        text: 'Bạn muốn làm theo cách nào?',
        answers: [{ id: 'office', text: 'Đến xã', end: true, procedure: '1.001193', channel: 'in_person' }],
      },
    ],
  };
  it('carries the chosen way of filing to the end', () => {
    expect(walk(event, { how: 'office' }).end).toMatchObject({ procedure: '1.001193', channel: 'in_person' });
  });
  it('is remembered per procedure until forgotten', () => {
    setLead('1.001193', { asked: 1, channel: 'in_person' });
    expect(leadInto('1.001193')).toEqual({ asked: 1, channel: 'in_person' });
    expect(leadInto('1.004222')).toBeUndefined();
    setLead('1.001193', undefined);
    expect(leadInto('1.001193')).toBeUndefined();
  });
});
