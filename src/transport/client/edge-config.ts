import { basename, extname } from 'node:path';
import type { WelcomeMessage } from '../protocol/index.js';

/**
 * A configuration the edge will never accept: a refused token (`unauthorized`) or a model it does
 * not serve (`model_unknown`). Unlike a dead or busy edge (the device keeps tracking and the client
 * keeps retrying), retrying cannot help, so a run stops at start with this error; `hint` says what to
 * change.
 */
export class EdgeConfigError extends Error {
  override readonly name = 'EdgeConfigError';
  readonly code: 'unauthorized' | 'model_unknown';
  readonly hint: string;

  constructor(code: 'unauthorized' | 'model_unknown', message: string, hint: string) {
    super(`${message}; ${hint}`);
    this.code = code;
    this.hint = hint;
  }
}

/** The name an edge serves a model under: built-in names as they are, `.onnx` paths by file stem. */
export function edgeModelName(model: string): string {
  return extname(model).toLowerCase() === '.onnx' || model.includes('/') ? basename(model, extname(model)) : model;
}

/**
 * The model to ask an edge for, checked against its `welcome`: `model` (by {@link edgeModelName}) when
 * given, else the edge's default (its first model). Throws {@link EdgeConfigError} `model_unknown`
 * naming the models the edge serves.
 */
export function modelServedBy(url: string, welcome: WelcomeMessage, model: string | undefined): string {
  const served = welcome.models;
  if (model === undefined) return served[0];
  const name = edgeModelName(model);
  if (served.includes(name)) return name;
  throw new EdgeConfigError(
    'model_unknown',
    `the edge ${url} does not serve the model ${JSON.stringify(name)}${name !== model ? ` (from ${model})` : ''}`,
    `it serves ${served.join(', ')}: pass --model ${served[0]} (or leave --model out to use the edge's default)`,
  );
}

/** The {@link EdgeConfigError} for an edge that refused the client's token. */
export function refusedTokenError(url: string, reason: string, tokenGiven: boolean): EdgeConfigError {
  return new EdgeConfigError(
    'unauthorized',
    `the edge ${url} refused this device (${reason})`,
    tokenGiven
      ? 'check the token: set EDGETRACK_TOKEN to the edge\'s token (or pass --token)'
      : 'the edge needs a token: set EDGETRACK_TOKEN to the edge\'s token (or pass --token)',
  );
}
