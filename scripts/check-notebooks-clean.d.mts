/** Problems found in one notebook's JSON text ([] when clean). */
export function notebookProblems(text: string): string[];
/** { file, problems } for every *.ipynb in dir that is not clean. */
export function dirtyNotebooks(dir: string): { file: string; problems: string[] }[];
