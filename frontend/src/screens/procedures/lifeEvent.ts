// Opening a life event, wherever it is offered (the assistant's entry, the
// search screen when nothing fits): one with questions asks them first, the
// others list their procedures.

import type { LifeEvent } from '../../lib/api';
import { go } from '../../lib/router.svelte';

export function openLifeEvent(le: Pick<LifeEvent, 'id' | 'flow'>) {
  if (le.flow) go('procedures', { view: 'q', flow: le.flow, q: '' });
  else go('procedures', { view: 'list', kind: 'event', id: le.id });
}
