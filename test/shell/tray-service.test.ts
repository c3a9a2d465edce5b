import { describe, expect, it } from 'vitest';
import { renderTray, TrayService, type TrayActionId, type TrayLike, type TrayMenuItem } from '../../src/main/shell/tray';
import { NOW, okStatus } from './status-fixture';

class FakeTray implements TrayLike {
  calls: string[] = [];
  clickListeners: (() => void)[] = [];
  menu: unknown = null;
  constructor(public image: string) {}
  setImage(icon: string) {
    this.calls.push(`image:${icon}`);
    this.image = icon;
  }
  setToolTip(tooltip: string) {
    this.calls.push(`tooltip:${tooltip}`);
  }
  setContextMenu(menu: unknown) {
    this.calls.push('menu');
    this.menu = menu;
  }
  on(_event: 'click', listener: () => void) {
    this.clickListeners.push(listener);
    return this;
  }
  destroy() {
    this.calls.push('destroy');
  }
}

function setup() {
  const trays: FakeTray[] = [];
  const actions: TrayActionId[] = [];
  let opened = 0;
  let lastMenu: { items: readonly TrayMenuItem[]; onAction: (id: TrayActionId) => void } | null = null;
  const service = new TrayService({
    createTray: (icon) => {
      const tray = new FakeTray(icon);
      trays.push(tray);
      return tray;
    },
    buildMenu: (items, onAction) => {
      lastMenu = { items, onAction };
      return { items };
    },
    iconPath: (state) => `/icons/${state}.png`,
    onAction: (id) => actions.push(id),
    onClick: () => (opened += 1),
  });
  return { service, trays, actions, opened: () => opened, lastMenu: () => lastMenu };
}

describe('TrayService', () => {
  it('creates one tray and applies the render', () => {
    const { service, trays } = setup();
    service.update(renderTray(okStatus(), { now: NOW }));
    expect(trays).toHaveLength(1);
    expect(trays[0]!.image).toBe('/icons/ok.png');
    expect(trays[0]!.calls).toEqual(['tooltip:Art Sync — Synced 4 min ago', 'menu']);
  });

  it('applying the same render again touches nothing', () => {
    const { service, trays } = setup();
    const render = renderTray(okStatus({ attention: 2 }), { now: NOW });
    service.update(render);
    const before = [...trays[0]!.calls];
    service.update(render);
    service.update(renderTray(okStatus({ attention: 2 }), { now: NOW }));
    expect(trays).toHaveLength(1);
    expect(trays[0]!.calls).toEqual(before);
  });

  it('changes only what differs', () => {
    const { service, trays } = setup();
    service.update(renderTray(okStatus(), { now: NOW }));
    trays[0]!.calls = [];
    // Same icon and menu actions, different words: tooltip and menu header change, icon does not.
    service.update(renderTray(okStatus(), { now: NOW + 60_000 }));
    expect(trays[0]!.calls).toEqual(['tooltip:Art Sync — Synced 5 min ago', 'menu']);
    trays[0]!.calls = [];
    service.update(renderTray(okStatus({ needsReconnect: true }), { now: NOW }));
    expect(trays[0]!.calls[0]).toBe('image:/icons/error.png');
  });

  it('routes menu actions and clicks', () => {
    const { service, trays, actions, opened, lastMenu } = setup();
    service.update(renderTray(okStatus(), { now: NOW }));
    lastMenu()!.onAction('sync-now');
    lastMenu()!.onAction('quit');
    trays[0]!.clickListeners.forEach((listener) => listener());
    expect(actions).toEqual(['sync-now', 'quit']);
    expect(opened()).toBe(1);
  });

  it('destroy removes the tray; a later update makes a new one', () => {
    const { service, trays } = setup();
    service.update(renderTray(okStatus(), { now: NOW }));
    service.destroy();
    expect(trays[0]!.calls).toContain('destroy');
    service.update(renderTray(okStatus(), { now: NOW }));
    expect(trays).toHaveLength(2);
  });
});
