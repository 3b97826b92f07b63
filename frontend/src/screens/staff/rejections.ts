// Which refused packs staff need not worry about, decided in one place for
// the rejections card and its tests.
import type { StaffRejection } from '../../lib/api';

/**
 * Whether r is an older pack from a USB stick than the content in use
 * (generation inUse): the staff's own old stick, told calmly, not in red
 * (outside QA s27). From the hub the same refusal stays red: a hub offering
 * older content may be a rollback attack.
 */
export function oldFromUSB(r: Pick<StaffRejection, 'kind' | 'source' | 'generation'>, inUse: number): boolean {
  const gen = r.generation ?? 0;
  return r.kind === 'not_newer' && r.source === 'usb' && gen > 0 && gen <= inUse;
}
