export { SECRET_NAMES, ETSY_SECRET_NAMES, isSecretName, type SecretName, type SecretStore } from './secret-store';
export { MemorySecretStore } from './memory-secret-store';
export { KeytarSecretStore, KEYCHAIN_SERVICE, keychainNamespace, loadKeytar, type KeytarLike } from './keytar-secret-store';
export { openSecretStore, probeKeychain, type OpenSecretStoreOptions, type OpenedSecretStore } from './open-secret-store';
export { redact, oneLine } from './redact';
