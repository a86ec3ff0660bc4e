import { seriesColor } from '../ui/palette.js';

// Dash patterns and symbols in a fixed order: lines with equal values lie on
// top of each other, and the dash, the symbol and the width still tell which
// is which (the legend shows each line's dash and symbol).
const DASHES = ['solid', 'dashed', 'dotted', [8, 3, 2, 3], [12, 4], [2, 6], [6, 2, 2, 2, 2, 2]] as const;
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin', 'arrow'] as const;

/**
 * How line `index` of a chart is drawn: its colour (the meaning's for a
 * trust level, given as `meaningKey`), dash, symbol and width. Earlier lines
 * are drawn wider and under later ones, so a line hidden by an equal one
 * still shows at its edges.
 */
export function lineSeriesStyle(index: number, meaningKey?: string | null) {
  const color = seriesColor(index, meaningKey);
  const dash = DASHES[index % DASHES.length]!;
  return {
    color,
    symbol: SYMBOLS[index % SYMBOLS.length]!,
    symbolSize: 8,
    itemStyle: { color },
    lineStyle: { color, type: dash as string | number[], width: Math.max(1.5, 4 - index) },
    z: 2 + index,
  };
}
