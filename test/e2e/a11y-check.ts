import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './chromium';

/**
 * axe-core and a keyboard walk for the window under test (issue 15 item 7).
 *
 * axe is injected with `page.evaluate(source)`: that runs through the DevTools protocol, which the
 * page's CSP (script-src 'self', no inline, no eval) does not govern, so the page keeps its real CSP
 * (no `bypassCSP`) while axe runs. `addScriptTag` would add an inline <script>, which the CSP blocks.
 */
const AXE_SOURCE = fs.readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Every violation axe reports on the page as it is now (WCAG 2.x A/AA plus best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate<boolean>('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, {
      resultTypes: ['violations', 'incomplete'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    // "incomplete" colour contrast: axe could not tell the background (overlaps, gradients); listed
    // with impact "needs review" so the report shows them, not counted as serious.
    const review = result.incomplete.filter((v) => v.id === 'color-contrast').map((v) => ({ ...v, id: 'color-contrast (needs review)', impact: 'needs review' }));
    return [...result.violations, ...review].map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary ?? '' })),
    }));
  })()`);
  return result;
}

/** Serious and critical only: what the "Done when" forbids. */
export function seriousOnly(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violated node: id, impact, target and help, so a failure says what to fix. */
export function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.flatMap((v) => v.nodes.map((n) => `${where}: ${v.id} [${v.impact}] ${n.target.join(' ')} — ${v.help} (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)})`));
}

export interface KeyboardReport {
  /** Visible, enabled controls (button, link, input, select, textarea, summary, [tabindex]). */
  controls: number;
  /** Descriptions of the controls Tab never reached. */
  unreached: string[];
  /** Elements with a positive tabindex (they break the reading order). */
  positiveTabindex: string[];
  /** Elements that look clickable (role=button/link, or pointer cursor) but cannot take focus. */
  clickableNotFocusable: string[];
  /** Controls that showed no focus indicator (no outline, no box shadow) when Tab reached them. */
  noFocusRing: string[];
}

/**
 * Tabs through the whole page from the start of the document and reports every visible control the
 * Tab key never reached. Each control gets a data attribute first, so the walk knows which one has
 * focus without relying on labels being unique.
 */
export async function keyboardWalk(page: Page): Promise<KeyboardReport> {
  const survey = await page.evaluate<{ controls: number; positiveTabindex: string[]; clickableNotFocusable: string[] }>(`(() => {
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + ((el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)) + '"';
    const visible = (el) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    document.querySelectorAll('[data-kbd]').forEach((el) => el.removeAttribute('data-kbd'));
    const controls = [...document.querySelectorAll('button, a[href], input, select, textarea, summary, [tabindex]')]
      .filter((el) => visible(el) && !el.disabled && el.getAttribute('tabindex') !== '-1' && !(el.type === 'hidden'));
    // Radio buttons in one group take one Tab stop (arrow keys move within it): count the group once.
    const seenRadioGroups = new Set();
    let n = 0;
    for (const el of controls) {
      if (el.type === 'radio') {
        if (seenRadioGroups.has(el.name)) continue;
        seenRadioGroups.add(el.name);
        const group = controls.filter((other) => other.type === 'radio' && other.name === el.name);
        for (const member of group) member.setAttribute('data-kbd', 'r' + n);
      } else el.setAttribute('data-kbd', String(n));
      n += 1;
    }
    const positiveTabindex = [...document.querySelectorAll('[tabindex]')].filter((el) => Number(el.getAttribute('tabindex')) > 0).map(describe);
    const focusable = (el) => el.matches('button, a[href], input, select, textarea, summary, [tabindex]') && !el.disabled;
    const clickableNotFocusable = [...document.querySelectorAll('[role=button], [role=link], [role=tab], [role=menuitem], [onclick], *')]
      .filter((el) => visible(el) && !focusable(el) && (el.matches('[role=button], [role=link], [role=tab], [role=menuitem], [onclick]') || (getComputedStyle(el).cursor === 'pointer' && !el.closest('button, a[href], label, summary, input, select'))))
      .map(describe);
    return { controls: n, positiveTabindex, clickableNotFocusable };
  })()`);

  const reached = new Set<string>();
  const noFocusRing = new Set<string>();
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
  // Start from the top of the document so the first Tab lands on the first control.
  await page.evaluate('window.getSelection()?.removeAllRanges(); document.body.focus()');
  const limit = survey.controls * 2 + 10;
  let first: string | null = null;
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{ mark: string | null; ring: boolean; what: string }>(`(() => {
      const el = document.activeElement;
      if (!el) return { mark: null, ring: false, what: '' };
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      const what = el.tagName.toLowerCase() + ' "' + ((el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '').trim().replace(/\\s+/g, ' ').slice(0, 60)) + '"';
      return { mark: el.getAttribute('data-kbd'), ring, what };
    })()`);
    const mark = focused.mark;
    if (mark === null) continue;
    if (mark === first) break; // went round once
    first ??= mark;
    reached.add(mark);
    if (!focused.ring) noFocusRing.add(focused.what);
  }
  const unreached = await page.evaluate<string[]>(`((reached) => [...document.querySelectorAll('[data-kbd]')]
    .filter((el) => !reached.includes(el.getAttribute('data-kbd')))
    .map((el) => el.tagName.toLowerCase() + ' "' + ((el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '').trim().replace(/\\s+/g, ' ').slice(0, 60)) + '"'))(${JSON.stringify([...reached])})`);
  return { controls: survey.controls, unreached, positiveTabindex: survey.positiveTabindex, clickableNotFocusable: survey.clickableNotFocusable, noFocusRing: [...noFocusRing] };
}

/**
 * WCAG 1.4.11 (non-text contrast), which axe does not check: a text field's or select's border must
 * stand out 3:1 from what is around it, or the field cannot be seen as a field. Returns each field
 * whose border does not, with the ratio. Checkboxes and radios are left out (drawn by Chromium).
 */
export async function weakFieldBorders(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const backdrop = (el) => {
      for (let node = el.parentElement; node; node = node.parentElement) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const fields = [...document.querySelectorAll('input, select, textarea')].filter((el) => {
      if (['checkbox', 'radio', 'hidden', 'submit', 'button', 'range', 'color', 'file'].includes(el.type)) return false;
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
    return fields.flatMap((el) => {
      const style = getComputedStyle(el);
      if (parseFloat(style.borderBottomWidth) === 0) return [el.outerHTML.slice(0, 80) + ': no border'];
      const r = ratio(rgb(style.borderBottomColor).slice(0, 3), backdrop(el));
      return r >= 3 ? [] : [(el.getAttribute('aria-label') || el.id || el.name || el.tagName) + ' border ' + style.borderBottomColor + ' is ' + r.toFixed(2) + ':1'];
    });
  })()`);
}
