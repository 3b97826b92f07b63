// Mounts the "closed" notice beside the shell, over everything but staff mode,
// so that opening hours need no change to the shell itself.
import { mount } from 'svelte';
import Closed from './Closed.svelte';

const host = document.createElement('div');
host.id = 'closed-root';
document.body.appendChild(host);
mount(Closed, { target: host });
