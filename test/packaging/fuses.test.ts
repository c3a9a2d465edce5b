// The Electron fuses of electron-builder.yml, followed all the way to the bytes: electron-builder's own
// translation of `electronFuses` (PlatformPackager.generateFuseConfig) is handed to @electron/fuses,
// which flips them in a stand-in binary carrying Electron's fuse wire; the wire is then read back.
// The real Electron binary cannot be downloaded here, but the wire format is all the flipping touches.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig } from './builder-config';

const require = createRequire(import.meta.url);

interface FusesModule {
  FuseVersion: { V1: string };
  FuseV1Options: Record<string, number>;
  flipFuses(pathToElectron: string, config: Record<string | number, unknown>): Promise<number>;
  getCurrentFuseWire(pathToElectron: string): Promise<Record<string | number, unknown>>;
}
const fuses = require('@electron/fuses') as FusesModule;
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: Record<string, boolean>): Promise<Record<string | number, unknown>> } };
};

// @electron/fuses' wire states ('0' off, '1' on, 'r' removed).
const DISABLE = 0x30;
const ENABLE = 0x31;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Every fuse the issue asks for, by @electron/fuses' name, with the state it must have. */
const REQUIRED: Record<string, boolean> = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  OnlyLoadAppFromAsar: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  EnableCookieEncryption: true,
};

const config = loadBuilderConfig();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'art-sync-fuses-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A stand-in Electron binary: padding, the fuse sentinel, wire version 1, the wire length and one
 * byte per fuse, every fuse in the state opposite to the one we require (so a fuse that is not
 * flipped shows up), then more padding.
 */
function fakeElectronBinary(): string {
  const length = Object.keys(fuses.FuseV1Options).filter((key) => Number.isNaN(Number(key))).length;
  const wire = Buffer.alloc(length);
  for (let index = 0; index < length; index++) {
    const name = fuses.FuseV1Options[index] as unknown as string;
    const required = REQUIRED[name];
    wire[index] = required === undefined ? ENABLE : required ? DISABLE : ENABLE;
  }
  const file = path.join(dir, `electron-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    file,
    Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, length]), wire, Buffer.alloc(4096, 0x90)]),
  );
  return file;
}

describe('Electron fuses', () => {
  it('electron-builder.yml sets exactly the hardening fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('electron-builder turns them into the @electron/fuses configuration it flips before signing', async () => {
    const generated = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses ?? {});
    expect(generated.version).toBe(fuses.FuseVersion.V1);
    for (const [name, state] of Object.entries(REQUIRED)) {
      const index = fuses.FuseV1Options[name];
      expect(index, name).toBeTypeOf('number');
      expect(generated[index as number], name).toBe(state);
    }
  });

  it('flipping them on an Electron fuse wire leaves every required fuse in its state', async () => {
    const binary = fakeElectronBinary();
    const generated = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses ?? {});
    expect(await fuses.flipFuses(binary, generated)).toBe(1);
    const wire = await fuses.getCurrentFuseWire(binary);
    for (const [name, state] of Object.entries(REQUIRED)) {
      expect(wire[fuses.FuseV1Options[name] as number], name).toBe(state ? ENABLE : DISABLE);
    }
  });

  it('the check is not vacuous: without electronFuses nothing is flipped', async () => {
    const binary = fakeElectronBinary();
    const generated = await PlatformPackager.prototype.generateFuseConfig.call({}, {});
    await fuses.flipFuses(binary, generated);
    const wire = await fuses.getCurrentFuseWire(binary);
    expect(wire[fuses.FuseV1Options.RunAsNode as number]).toBe(ENABLE);
    expect(wire[fuses.FuseV1Options.OnlyLoadAppFromAsar as number]).toBe(DISABLE);
  });
});
