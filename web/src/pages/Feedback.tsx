import { ProvidersPanel, TradesPanel, WeightsPanel } from './feedback/Panels';

/** The feedback loop: how each provider did, how the ensemble's weights moved and why, and the trades it learned from; live. */
export function Feedback() {
  return (
    <>
      <h1>Feedback loop</h1>
      <ProvidersPanel />
      <WeightsPanel />
      <TradesPanel />
    </>
  );
}
