// Every screen, by name. To add a screen: import it and add one line here;
// go('name', params) shows it, and it receives { params }.
// Screens whose names start with "staff" show inside staff mode (after the PIN).

import type { Component } from 'svelte';
import type { Params } from './lib/router.svelte';
import Home from './screens/Home.svelte';
import Search from './screens/search/Search.svelte';
import Procedures from './screens/procedures/Procedures.svelte';
import Tutorials from './screens/tutorials/Tutorials.svelte';
import StaffPanel from './screens/staff/StaffPanel.svelte';
import Insights from './screens/staff/Insights.svelte';

// A screen takes { params } (or no props at all).
export type Screen = Component<{ params: Params }> | Component<{}>;

export const routes: Record<string, Screen> = {
  home: Home,
  tutorials: Tutorials,
  procedures: Procedures,
  search: Search,
  staff: StaffPanel,
  'staff-insights': Insights,
};
