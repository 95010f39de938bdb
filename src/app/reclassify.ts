/** reclassify: re-runs the classifier over stored mentions (after an upgrade or a config change), in batches. */
import type { Store } from '../store/types.js';
import type { ClassifyMention } from './classification.js';

export interface ReclassifyResult {
  mentions: number;
  changed: number;
  becameComplaints: number;
  stoppedBeingComplaints: number;
}

const BATCH = 1000;

export function reclassifyMentions(store: Store, classify: ClassifyMention, since: number | undefined): ReclassifyResult {
  const result: ReclassifyResult = { mentions: 0, changed: 0, becameComplaints: 0, stoppedBeingComplaints: 0 };
  let batch: Parameters<Store['updateClassification']>[0] = [];
  for (const m of store.iterateForClassification(since)) {
    result.mentions++;
    const v = classify({ title: m.title, text: m.text, addressesBrand: m.addressesBrand, own: m.own });
    const changed =
      m.sentiment?.label !== v.sentiment.label || m.sentiment?.score !== v.sentiment.score || m.complaint !== v.complaint || m.intent !== v.intent;
    if (changed) {
      result.changed++;
      if (v.complaint && !m.complaint) result.becameComplaints++;
      if (!v.complaint && m.complaint) result.stoppedBeingComplaints++;
    }
    batch.push({ id: m.id, sentiment: v.sentiment, complaint: v.complaint, intent: v.intent, verdict: v.verdict });
    if (batch.length >= BATCH) {
      store.updateClassification(batch);
      batch = [];
    }
  }
  if (batch.length > 0) store.updateClassification(batch);
  return result;
}
