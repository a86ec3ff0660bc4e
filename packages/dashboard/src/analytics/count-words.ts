import type { PluralForms } from '../ui/format.js';

/** "1 event", "2 events": the reports' counted things with their plural forms (ui/format.ts picks one). */
export const EVENTS: PluralForms = { one: 'event', other: 'events' };

/** "1 person", "2 people". */
export const PEOPLE: PluralForms = { one: 'person', other: 'people' };

/** "1 company", "2 companies". */
export const COMPANIES: PluralForms = { one: 'company', other: 'companies' };
