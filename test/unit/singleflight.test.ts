import { describe, expect, it } from 'vitest';
import { Singleflight } from '../../src/upstream/singleflight.js';

/** A promise settled by the test, with a count of how often the work was started. */
function deferredWork<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const signals: AbortSignal[] = [];
  let starts = 0;
  const run = (signal: AbortSignal) => {
    starts += 1;
    signals.push(signal);
    return new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  };
  return {
    run,
    resolve: (v: T) => resolve(v),
    reject: (e: unknown) => reject(e),
    signals,
    starts: () => starts,
  };
}

describe('Singleflight', () => {
  it('runs the work once for concurrent callers of one key and tells joiners apart', async () => {
    const flights = new Singleflight<number>();
    const work = deferredWork<number>();
    const tickets = Array.from({ length: 200 }, () => flights.do('k', work.run));
    expect(work.starts()).toBe(1);
    expect(tickets.filter((t) => t.joined)).toHaveLength(199);
    work.resolve(42);
    expect(await Promise.all(tickets.map((t) => t.promise))).toEqual(Array(200).fill(42));
    expect(flights.size).toBe(0);
  });

  it('keeps keys apart and starts afresh once a flight settled', async () => {
    const flights = new Singleflight<string>();
    let starts = 0;
    const run = async () => `call ${++starts}`;
    const [a, b] = [flights.do('a', run), flights.do('b', run)];
    expect(await a.promise).toBe('call 1');
    expect(await b.promise).toBe('call 2');
    expect(await flights.do('a', run).promise).toBe('call 3');
  });

  it('shares a rejection with every caller and forgets it', async () => {
    const flights = new Singleflight<number>();
    const work = deferredWork<number>();
    const [one, two] = [flights.do('k', work.run), flights.do('k', work.run)];
    work.reject(new Error('boom'));
    await expect(one.promise).rejects.toThrow('boom');
    await expect(two.promise).rejects.toThrow('boom');
    expect(flights.has('k')).toBe(false);
  });

  it('a joiner that aborts stops waiting without cancelling the shared work for the others', async () => {
    const flights = new Singleflight<number>();
    const work = deferredWork<number>();
    const impatient = new AbortController();
    const patient = new AbortController();
    const first = flights.do('k', work.run, patient.signal);
    const second = flights.do('k', work.run, impatient.signal);
    impatient.abort(new Error('client went away'));
    await expect(second.promise).rejects.toThrow('client went away');
    expect(work.signals[0]?.aborted).toBe(false);
    work.resolve(7);
    expect(await first.promise).toBe(7);
    expect(work.starts()).toBe(1);
  });

  it('the leader aborting does not cancel the work either while a joiner waits', async () => {
    const flights = new Singleflight<number>();
    const work = deferredWork<number>();
    const leader = new AbortController();
    const first = flights.do('k', work.run, leader.signal);
    const second = flights.do('k', work.run, new AbortController().signal);
    leader.abort(new Error('leader gone'));
    await expect(first.promise).rejects.toThrow('leader gone');
    expect(work.signals[0]?.aborted).toBe(false);
    work.resolve(1);
    expect(await second.promise).toBe(1);
  });

  it('aborts the shared work when every caller has aborted, and the next caller starts a new one', async () => {
    const flights = new Singleflight<number>();
    const work = deferredWork<number>();
    const a = new AbortController();
    const b = new AbortController();
    const tickets = [flights.do('k', work.run, a.signal), flights.do('k', work.run, b.signal)];
    a.abort(new Error('a'));
    expect(work.signals[0]?.aborted).toBe(false);
    b.abort(new Error('b'));
    expect(work.signals[0]?.aborted).toBe(true);
    await Promise.allSettled(tickets.map((t) => t.promise));
    expect(flights.has('k')).toBe(false);
    const again = flights.do('k', work.run);
    expect(again.joined).toBe(false);
    expect(work.starts()).toBe(2);
  });

  it('a caller without a signal (a background refresh) pins the work against aborts', async () => {
    const flights = new Singleflight<number>();
    const work = deferredWork<number>();
    const background = flights.do('k', work.run);
    const a = new AbortController();
    const foreground = flights.do('k', work.run, a.signal);
    a.abort(new Error('gone'));
    await expect(foreground.promise).rejects.toThrow('gone');
    expect(work.signals[0]?.aborted).toBe(false);
    work.resolve(3);
    expect(await background.promise).toBe(3);
  });

  it('never starts work for a caller whose signal is already aborted', async () => {
    const flights = new Singleflight<number>();
    const work = deferredWork<number>();
    const ticket = flights.do('k', work.run, AbortSignal.abort(new Error('late')));
    await expect(ticket.promise).rejects.toThrow('late');
    expect(work.starts()).toBe(0);
  });

  it('turns a synchronous throw of the work into a rejection', async () => {
    const flights = new Singleflight<number>();
    const ticket = flights.do('k', () => {
      throw new Error('sync');
    });
    await expect(ticket.promise).rejects.toThrow('sync');
    expect(flights.size).toBe(0);
  });
});
