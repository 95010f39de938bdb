import { describe, expect, it } from 'vitest';
import { createTurns } from '../../src/app/turns.js';

describe('createTurns', () => {
  it('serves responses before work, each kind in the order it asked', async () => {
    const turns = createTurns();
    const order: string[] = [];
    await Promise.all([
      turns.work().then(() => order.push('work 1')),
      turns.work().then(() => order.push('work 2')),
      turns.network().then(() => order.push('network 1')),
      turns.network().then(() => order.push('network 2')),
    ]);
    expect(order).toEqual(['network 1', 'network 2', 'work 1', 'work 2']);
  });

  it('releases one waiter per turn of the event loop, so a response arriving meanwhile goes first', async () => {
    const turns = createTurns();
    const order: string[] = [];
    const first = turns.work().then(() => {
      order.push('work 1');
      // A response handled while work 1 runs asks for its turn: it is served before work 2.
      void turns.network().then(() => order.push('network'));
    });
    const second = turns.work().then(() => order.push('work 2'));
    await Promise.all([first, second]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['work 1', 'network', 'work 2']);
  });

  it('keeps serving after running dry', async () => {
    const turns = createTurns();
    await turns.work();
    await turns.network();
    await Promise.all([turns.work(), turns.network()]);
  });
});
