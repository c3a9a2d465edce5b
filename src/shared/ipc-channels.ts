/**
 * The channel names of the IPC contract, without the schemas: the sandboxed preload checks names
 * against this list and so does not bundle zod. ipc.ts checks at compile time that this list and its
 * schema map name the same channels.
 */
export const IPC_CHANNEL_NAMES = [
  'app:info',
  'app:openExternal',
  'status:get',
  'sync:now',
  'sync:dryRun',
  'sync:setPaused',
  'history:list',
  'runs:list',
  'runs:undo',
  'attention:list',
  'settings:get',
  'settings:update',
  'etsy:connect',
  'etsy:cancelConnect',
  'etsy:connectProgress',
  'etsy:pasteRedirect',
  'etsy:disconnect',
  'etsy:redirectUri',
  'catalog:list',
  'catalog:setStock',
  'catalog:sell',
  'catalog:page',
  'catalog:setLowStock',
  'catalog:importPreview',
  'catalog:importApply',
  'catalog:importCancel',
  'catalog:exportCsv',
  'catalog:pushState',
  'server:test',
  'server:setPassword',
  'server:clearPassword',
] as const;

export type IpcChannelName = (typeof IPC_CHANNEL_NAMES)[number];
