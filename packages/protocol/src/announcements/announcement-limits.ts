/** Bounds of what a team may write into an announcement (the editor shows them; the API enforces them). */
export const ANNOUNCEMENT_LIMITS = Object.freeze({
  titleLength: 200,
  bodyLength: 20_000,
  ctaLabelLength: 60,
  urlLength: 2048,
  priorityMin: -1000,
  priorityMax: 1000,
});
