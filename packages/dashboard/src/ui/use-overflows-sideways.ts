import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether an element's content is wider than the element (it scrolls
 * sideways), kept up to date as either changes size. A table frame that
 * scrolls becomes a focusable, named region only then, so a keyboard user
 * can scroll it (axe `scrollable-region-focusable`) without an extra tab stop
 * on every table that fits.
 */
export function useOverflowsSideways(ref: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  });
  return overflows;
}
