// Cross-function check (interproc/handover.ts): rules that decide whether a caller
// hands the lock in, on kernel-shaped code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseText } from './helpers/load';

/** mm/ksm.c: the sysfs store is named only through `KSM_ATTR(run)` (token pasting makes run_store). */
const PASTED = `
static DEFINE_MUTEX(ksm_thread_mutex);
static unsigned long ksm_run;

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	unsigned int flags = 0;

	if (kstrtouint(buf, 10, &flags))
		return -EINVAL;
	ksm_run = flags;
	mutex_unlock(&ksm_thread_mutex);
	return count;
}
KSM_ATTR(run);
`;

test('a static function no analysed code calls is called through hidden places: a global lock it drops untaken is reported', async () => {
  const a = await analyseText('ksm.c', PASTED);
  assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/release-unheld', 13, 'run_store']]);
  assert.match(a.diagnostics[0].message, /reached through a pointer, macro or export/);
});

test('the same function taking the lock itself: nothing', async () => {
  const a = await analyseText('ksm.c', PASTED.replace('\tksm_run = flags;', '\tmutex_lock(&ksm_thread_mutex);\n\tksm_run = flags;'));
  assert.deepEqual(a.diagnostics, []);
});

