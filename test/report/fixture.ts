/** Test fixture of the main-job tests (not a test file itself). */

/** A small made-up corpus: repetitive enough to learn a little, with three hostile posts. */
export function fixturePosts(): { id: string; text: string }[] {
  const subjects = ['the team', 'our city', 'the new bridge', 'the school board', 'the river park', 'the library'];
  const verbs = ['opened', 'announced', 'celebrated', 'finished', 'planned', 'approved'];
  const objects = ['a new program for young readers', 'the summer festival', 'a plan for clean water', 'the spring concert', 'longer opening hours'];
  const posts: { id: string; text: string }[] = [];
  let n = 0;
  for (let i = 0; i < 36; i++) {
    const s = subjects[i % subjects.length] as string;
    const v = verbs[(i * 5) % verbs.length] as string;
    const o = objects[(i * 7) % objects.length] as string;
    posts.push({ id: String(++n), text: `Today ${s} ${v} ${o} with @friend and everyone! https://example.com/${i} #news` });
  }
  // First, so it is the example of the "brackets" cleaning rule in the report.
  posts.unshift({ id: 'x1', text: 'Beware <script>alert(1)</script> and <img src=x onerror=alert(1)> at the summer festival' });
  posts.push({ id: String(++n), text: 'Beware <script>alert(1)</script> of the summer festival crowds today' });
  posts.push({ id: String(++n), text: 'Look <img src=x onerror=alert(1)> at the new bridge tonight' });
  posts.push({ id: String(++n), text: 'Click javascript:alert(1) for the spring concert tickets' });
  return posts;
}

