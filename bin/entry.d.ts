/** Types of bin/entry.js (plain JavaScript: the bins run before anything is compiled). */
export declare const BUNDLE_DIR: string;
export declare const STAMP: string;
export declare function buildId(): string;
export declare function entry(name: 'cli' | 'ctl', module: string): string;
