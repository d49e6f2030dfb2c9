package data

// ImportLockKey is importLockKey, for the tests that hold an import open.
const ImportLockKey = importLockKey
