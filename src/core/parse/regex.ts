// A name used inside a RegExp built at run time (catalogue words, value names).

export function escapeRegExp(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
