/** Types of bin/entry.js (plain JavaScript: the bins run before anything is compiled). */
export interface Stamp {
  deps: number | null;
  newest: number;
  inputs: string[];
}
export declare const BUNDLE_DIR: string;
export declare const STAMP: string;
export declare function mtime(rel: string): number | null;
export declare function stampOf(inputs: string[], times: number[]): Stamp;
export declare function current(stamp: Stamp): boolean;
export declare function entry(name: 'cli' | 'ctl', module: string): string;
