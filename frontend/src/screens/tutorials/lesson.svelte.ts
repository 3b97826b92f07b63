// The lesson player's state machine: which step or check question shows, what
// holds Next back (a practice screen not yet tapped right, a check question not
// yet answered right), and the usage events each move records. Player.svelte
// only draws it and wires it to the router, the narration and the session.

import { track } from '../../lib/track';
import type { Lesson, Step } from '../../lib/api';
import { markFinished, progress } from './progress.svelte';

export type Phase = 'steps' | 'checks';

export class LessonRun {
  data: Lesson | undefined = $state();
  /** The step shown, 0-based (Step.n is 1-based). */
  idx = $state(0);
  phase: Phase = $state('steps');
  checkIdx = $state(0);
  /** Check questions answered right, and practice steps tapped right, by index. */
  passed: boolean[] = $state([]);
  solved: boolean[] = $state([]);
  showHint = $state(false);
  /** A catalogue key telling the resident what Next waits for, or ''. */
  nudge = $state('');
  /** The step (by index) whose text runs on below what the stage shows and
      has not yet been scrolled to its end, or -1. */
  #unreadAt = $state(-1);

  readonly step: Step | undefined = $derived(this.data?.steps[this.idx]);
  readonly total = $derived(this.data?.steps.length ?? 0);
  readonly checks = $derived(this.data?.checks ?? []);
  readonly onLastStep = $derived(this.idx === this.total - 1);
  readonly practiceOpen = $derived(!!this.step?.practice && !this.solved[this.idx]);
  /** The text of the step shown is not yet read to its end (outside QA s28:
      at the largest text, lying down, the "Ghi nhớ" advice lay below the
      "Xem thêm" cue and Next went on without it). */
  readonly unread = $derived(this.phase === 'steps' && this.#unreadAt === this.idx);
  /** Next waits for the practice or the check question shown to be done
      right, and for a step's text to be read to its end. */
  readonly waiting = $derived(this.phase === 'steps' ? this.practiceOpen || this.unread : !this.passed[this.checkIdx]);
  readonly nextLabel = $derived(this.#nextLabel());
  /** How far through the lesson, for the progress bar: the checks count as the end. */
  readonly percent = $derived(
    this.total ? Math.round(((this.phase === 'checks' ? this.total : this.idx + 1) / this.total) * 100) : 0,
  );
  /** The step a resume code reopens: this one, or the last while in the checks. */
  readonly resumeStep = $derived(this.phase === 'steps' ? this.idx + 1 : this.total);

  readonly id: string;
  #oncomplete: () => void;
  #opened = false;
  #completed = false;

  /**
   * startStep is 1-based (a resume code may point past the end of a lesson
   * that has since become shorter: it is clamped once the lesson loads).
   * oncomplete runs after the last step or check, once it is recorded.
   */
  constructor(id: string, startStep: number, oncomplete: () => void) {
    this.id = id;
    this.#oncomplete = oncomplete;
    this.idx = Math.max(0, startStep - 1);
  }

  /** The lesson arrived (again, in a new language): the step stays. */
  loaded(l: Lesson): void {
    this.idx = Math.max(0, Math.min(this.idx, l.steps.length - 1));
    this.data = l;
    if (!this.#opened) {
      this.#opened = true;
      track({ type: 'tutorial_opened', tutorial: this.id });
    }
  }

  /**
   * The stage measured step idx's text: whole in sight (now or earlier: a
   * step read to its end stays read) or not. By index, so a report from the
   * step going away never holds back the one coming.
   */
  textShown(idx: number, whole: boolean): void {
    if (!whole) this.#unreadAt = idx;
    else if (this.#unreadAt === idx) this.#unreadAt = -1;
  }

  /** A step came on screen: count it, remember it for this session, start it fresh. */
  viewed(s: Step): void {
    track({ type: 'step_viewed', tutorial: this.id, step: s.n });
    progress().lastStep[this.id] = s.n;
    this.showHint = false;
    this.nudge = '';
  }

  next(): void {
    if (!this.data) return;
    if (this.phase === 'steps') {
      if (this.practiceOpen) {
        this.nudge = 'tutorials.player.practice_first';
      } else if (this.unread) {
        this.nudge = 'tutorials.player.read_first';
      } else if (!this.onLastStep) {
        this.idx++;
      } else if (this.checks.length > 0) {
        this.phase = 'checks';
        this.checkIdx = 0;
        this.#checkShown();
      } else {
        this.#complete();
      }
      return;
    }
    if (!this.passed[this.checkIdx]) {
      this.nudge = 'tutorials.player.check_first';
      return;
    }
    this.nudge = '';
    if (this.checkIdx < this.checks.length - 1) {
      this.checkIdx++;
      this.#checkShown();
    } else this.#complete();
  }

  prev(): void {
    this.nudge = '';
    if (this.phase === 'checks') {
      if (this.checkIdx > 0) {
        this.checkIdx--;
        this.#checkShown();
      } else this.phase = 'steps';
    } else if (this.idx > 0) {
      this.idx--;
    }
  }

  practiceRight(): void {
    this.solved[this.idx] = true;
    this.nudge = '';
    track({ type: 'practice_right', tutorial: this.id, step: this.idx + 1 });
  }

  /** A wrong tap: the resident did try, so "try it first" no longer applies. */
  practiceWrong(): void {
    this.nudge = '';
    track({ type: 'practice_wrong', tutorial: this.id, step: this.idx + 1 });
  }

  /** A wrong answer: chosen, so "choose an answer first" no longer applies. */
  checkWrong(): void {
    this.nudge = '';
    track({ type: 'check_wrong', tutorial: this.id, step: this.checkIdx + 1 });
  }

  checkPassed(): void {
    this.passed[this.checkIdx] = true;
    this.nudge = '';
    track({ type: 'check_passed', tutorial: this.id, step: this.checkIdx + 1 });
  }

  /**
   * The resident left the lesson (Back, Home, End, idle): an abandonment unless
   * finished, at the step shown or, during the checks, at the question shown.
   */
  left(): void {
    if (!this.#opened || this.#completed) return;
    if (this.phase === 'checks') {
      track({ type: 'check_abandoned', tutorial: this.id, step: this.checkIdx + 1 });
    } else {
      track({ type: 'tutorial_abandoned', tutorial: this.id, step: Math.min(this.idx + 1, this.total || 1) });
    }
  }

  /** A check question came on screen: count it (step is its 1-based number). */
  #checkShown(): void {
    track({ type: 'check_viewed', tutorial: this.id, step: this.checkIdx + 1 });
  }

  #complete(): void {
    this.#completed = true;
    markFinished(this.id);
    track({ type: 'tutorial_completed', tutorial: this.id });
    this.#oncomplete();
  }

  #nextLabel(): string {
    if (this.phase === 'checks') {
      return this.checkIdx < this.checks.length - 1 ? 'tutorials.check.next' : 'tutorials.check.finish';
    }
    if (!this.onLastStep) return 'tutorials.player.next';
    return this.checks.length > 0 ? 'tutorials.player.to_checks' : 'tutorials.player.finish';
  }
}
