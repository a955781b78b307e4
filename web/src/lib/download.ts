/** Saves `data` as a pretty-printed JSON file through the browser's download (an object URL on a transient link). */
export function saveJson(fileName: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has its own copy once started; a tick later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
