import { ProvidersPanel, TradesPanel, WeightsPanel } from './feedback/Panels';
import { RecommendationAccuracyPanel } from './feedback/RecommendationAccuracy';

/** The feedback loop: how each provider did, how the ensemble's weights moved and why, and the trades it learned from; then, apart, how right the daily recommendations were; live. */
export function Feedback() {
  return (
    <>
      <h1>Feedback loop</h1>
      <ProvidersPanel />
      <WeightsPanel />
      <TradesPanel />
      <RecommendationAccuracyPanel />
    </>
  );
}
