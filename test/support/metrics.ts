import { Registry } from 'prom-client';
import { RuntimeObservers } from '../../src/app/observers.js';
import { EventBus } from '../../src/application/event-bus.js';

export interface MetricsFixture {
  /** A registry of the test's own (never prom-client's global one). */
  registry: Registry;
  /** What domain-event metrics listen to. */
  bus: EventBus;
  /** What provider and store metrics listen to. */
  observers: RuntimeObservers;
}

/** The setup every metrics unit test shares: a fresh registry, event bus and runtime observers. */
export function metricsFixture(): MetricsFixture {
  return { registry: new Registry(), bus: new EventBus(), observers: new RuntimeObservers() };
}
