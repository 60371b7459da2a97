/**
 * Progress lines for the CI log: which step runs and how long it took, so a slow run shows where
 * its time went.
 */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[release] ${name} …`);
  try {
    const result = await work();
    console.log(`[release] ${name}: done in ${seconds()} s`);
    return result;
  } catch (error) {
    console.log(`[release] ${name}: failed after ${seconds()} s`);
    throw error;
  }
}
