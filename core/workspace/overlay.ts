/**
 * OpenAPI Overlay 1.0 (https://spec.openapis.org/overlay/v1.0.0): actions whose JSONPath
 * `target` selects nodes of an OpenAPI document, each merging an `update` into them or removing
 * them. This is how `x-flowgate-*` annotations reach a vendor's document without editing it.
 * Pure: the documents are already parsed. JSONPath by jsonpath-plus (its safe evaluator).
 *
 * One deliberate strictness: an action whose target selects nothing is an error, not a no-op,
 * because a mistyped target would silently drop a label or a destination rule.
 */
import { JSONPath } from 'jsonpath-plus';
import { WorkspaceError } from './types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One overlay document to apply: where it came from (for errors) and its parsed content. */
export interface OverlayDocument {
  file: string;
  overlay: unknown;
}

interface Action {
  target: string;
  update?: unknown;
  remove?: boolean;
}

function actionsOf(file: string, overlay: unknown): Action[] {
  if (!isObj(overlay)) throw new WorkspaceError(file, '', 'not an Overlay document (expected an object)');
  if (typeof overlay.overlay !== 'string' || !/^1\.\d+\.\d+$/.test(overlay.overlay)) {
    throw new WorkspaceError(file, '/overlay', `not an OpenAPI Overlay 1.x document (overlay: ${JSON.stringify(overlay.overlay)}); start it with overlay: 1.0.0`);
  }
  if (!Array.isArray(overlay.actions) || overlay.actions.length === 0) throw new WorkspaceError(file, '/actions', 'an overlay needs a non-empty "actions" list');
  return overlay.actions.map((a, i) => {
    const at = `/actions/${i}`;
    if (!isObj(a)) throw new WorkspaceError(file, at, 'an action must be an object with "target" and "update" or "remove"');
    if (typeof a.target !== 'string' || !a.target.startsWith('$')) throw new WorkspaceError(file, `${at}/target`, `"target" must be a JSONPath expression starting with $, got ${JSON.stringify(a.target)}`);
    if (a.remove !== undefined && typeof a.remove !== 'boolean') throw new WorkspaceError(file, `${at}/remove`, '"remove" must be true or false');
    if (a.update === undefined && a.remove !== true) throw new WorkspaceError(file, at, 'an action needs "update" or "remove": true');
    return { target: a.target, update: a.update, remove: a.remove === true };
  });
}

/** Merges `update` into `target` (objects recursively; other values replace). */
function merge(target: Obj, update: Obj): void {
  for (const [key, value] of Object.entries(update)) {
    const current = target[key];
    if (isObj(current) && isObj(value)) merge(current, value);
    else target[key] = structuredClone(value);
  }
}

/**
 * Applies overlays to `document` in order, in place, and returns it.
 * @throws WorkspaceError naming the overlay file and the pointer of the bad action.
 */
export function applyOverlays(document: object, overlays: readonly OverlayDocument[]): object {
  for (const { file, overlay } of overlays) {
    actionsOf(file, overlay).forEach((action, i) => {
      let matches: Array<{ value: unknown; parent: unknown; parentProperty: string | number }>;
      try {
        matches = JSONPath({ path: action.target, json: document, resultType: 'all', eval: 'safe' }) as typeof matches;
      } catch (error) {
        throw new WorkspaceError(file, `/actions/${i}/target`, `cannot evaluate JSONPath ${JSON.stringify(action.target)}: ${(error as Error).message}`);
      }
      if (matches.length === 0) throw new WorkspaceError(file, `/actions/${i}/target`, `${action.target} selects nothing in the document`);
      // Removals from one array go last index first, so earlier indices stay valid.
      if (action.remove) matches.sort((a, b) => (Array.isArray(a.parent) && a.parent === b.parent ? Number(b.parentProperty) - Number(a.parentProperty) : 0));
      for (const { value, parent, parentProperty } of matches) {
        if (action.remove) {
          if (Array.isArray(parent)) parent.splice(Number(parentProperty), 1);
          else if (isObj(parent)) delete parent[String(parentProperty)];
          else throw new WorkspaceError(file, `/actions/${i}/target`, 'cannot remove the document itself');
        } else if (Array.isArray(value)) {
          value.push(structuredClone(action.update));
        } else if (isObj(value) && isObj(action.update)) {
          merge(value, action.update);
        } else {
          throw new WorkspaceError(file, `/actions/${i}/update`, `${action.target} selects ${value === null ? 'null' : typeof value}; "update" can be merged only into objects (or appended to arrays)`);
        }
      }
    });
  }
  return document;
}
