/** An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 102nd. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * Where an article ranks for a user, in words: "3rd of 42 for this user in
 * its collection", or that it has no place there (the user would not see it:
 * a draft, an audience they do not match, or no match of the query).
 */
export function rankLabel(rank: number | null, of: number, query: string): string {
  const where = query ? `in the results for “${query}”` : 'in its collection';
  if (rank === null) return `Not shown to this user ${where}`;
  return `${ordinal(rank)} of ${of} for this user ${where}`;
}
