/** An event name a workspace has stored, with the UTC day (epoch ms) it was last seen on. */
export interface EventNameView {
  name: string;
  lastDay: number;
}

/** `GET …/analytics/event-names`: the names by name; `truncated` when the workspace has more than the list holds. */
export interface EventNamesAnswer {
  eventNames: EventNameView[];
  truncated: boolean;
}
