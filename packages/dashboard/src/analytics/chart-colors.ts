/** The dashboard's chart palette: distinct in hue and lightness, so lines differ in greyscale too (with the legend and the table beside them). */
export const CHART_COLORS = ['#3b4fd8', '#d97706', '#1a7f37', '#b42318', '#7c3aed', '#0e7490', '#57606a', '#be185d', '#4d7c0f', '#92400e'];
