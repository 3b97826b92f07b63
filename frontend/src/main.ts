import { mount } from 'svelte';
import './tokens.css';
import './app.css';
import App from './App.svelte';
import './lib/usage'; // installs the usage sink for track()
import './lib/heartbeat'; // feeds systemd's watchdog while the page runs
import './screens/closed/mount'; // the "closed" notice outside opening hours

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app');

export default mount(App, { target });
