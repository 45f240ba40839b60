/** Step 3 (CSV): what the file holds, drag-and-drop or pick it, upload with progress, what was detected. */
import { useId, useRef, useState, type DragEvent } from 'react';
import { api, type EntityType, type Upload } from '../api';
import { Alert, Button, ErrorAlert, Panel, ProgressBar } from '../components/ui';
import { capitalize, crmName, ENTITY_LABELS, ENTITY_TYPES } from '../lib/crms';
import { formatBytes, formatNumber } from '../lib/format';
import { managerOnly } from '../lib/messages';
import { useMe } from '../lib/session';
import { rowsFromSuggestions, type WizardState } from './state';

function samplesOf(upload: Upload): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of upload.headers) {
    out[h] = [...new Set(upload.sample.map((r) => r[h] ?? '').filter((v) => v.trim() !== ''))].slice(0, 3);
  }
  return out;
}

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

export function CsvSourceStep({ state, update, onBack, onNext }: { state: WizardState; update(p: Partial<WizardState>): void; onBack(): void; onNext(): void }) {
  const me = useMe();
  const selectId = useId();
  const fileId = useId();
  const hintId = useId();
  const [progress, setProgress] = useState<{ loaded: number; total: number; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const [switching, setSwitching] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const upload = state.upload;

  async function send(file: File) {
    setError(null);
    const controller = new AbortController();
    abortRef.current = controller;
    setProgress({ loaded: 0, total: file.size, name: file.name });
    try {
      const result = await api.uploadCsv(file, state.csvEntity, (p) => setProgress({ ...p, name: file.name }), controller.signal);
      update({ upload: result, mappings: {}, mappingsFor: null });
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
    } finally {
      setProgress(null);
      abortRef.current = null;
      if (inputRef.current) inputRef.current.value = '';
    }
  }

  async function changeEntity(entity: EntityType) {
    update({ csvEntity: entity });
    if (!upload) return;
    setSwitching(true);
    setError(null);
    try {
      update({ upload: await api.upload(upload.uploadId, entity), csvEntity: entity });
    } catch (err) {
      setError(err);
    } finally {
      setSwitching(false);
    }
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && me.canManage && !progress) void send(file);
  }

  function next() {
    if (!upload) return;
    const key = `csv:${upload.uploadId}:${upload.entityType}`;
    if (state.mappingsFor !== key) {
      update({ mappings: { [upload.entityType]: rowsFromSuggestions(upload.suggestedMappings, samplesOf(upload)) }, mappingsFor: key, mappingEntity: upload.entityType });
    }
    onNext();
  }

  const expectedSource = state.crm && state.crm !== 'csv' ? state.crm : null;
  return (
    <div className="space-y-6">
      <div>
        <label htmlFor={selectId} className="block font-medium">
          What does this file contain?
        </label>
        <p className="text-sm text-quiet">One kind of record per file. Import accounts first, so contacts and deals can link to them.</p>
        <select
          id={selectId}
          value={state.csvEntity}
          onChange={(e) => void changeEntity(e.target.value as EntityType)}
          disabled={switching || !!progress}
          className="mt-1 block w-full max-w-xs rounded-xl border border-[#8a8a8a] bg-white px-3 py-2.5"
        >
          {ENTITY_TYPES.map((e) => (
            <option key={e} value={e}>
              {capitalize(ENTITY_LABELS[e].many)}
            </option>
          ))}
        </select>
      </div>

      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="csv-dropzone"
        className={`rounded-3xl border-2 border-dashed p-6 text-center sm:p-10 ${dragging ? 'border-ink bg-sand' : 'border-faint bg-white'}`}
      >
        <p className="font-medium">Drag your CSV file here</p>
        <p id={hintId} className="mt-1 text-sm text-quiet">
          {expectedSource ? `In ${crmName(expectedSource)}, export the records as CSV, then drop the file here or choose it. ` : 'Drop the file here or choose it. '}
          Comma, semicolon or tab separated; any encoding; up to 1 GB.
        </p>
        <div className="mt-4">
          <label htmlFor={fileId} className="sr-only">
            Choose a CSV file
          </label>
          <input
            ref={inputRef}
            id={fileId}
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            aria-describedby={hintId}
            disabled={!me.canManage || !!progress}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void send(file);
            }}
            className="mx-auto block max-w-full text-sm file:mr-3 file:min-h-11 file:cursor-pointer file:rounded-full file:border-0 file:bg-ink file:px-5 file:py-2.5 file:font-medium file:text-white"
          />
        </div>
        {!me.canManage && <p className="mt-3 text-sm text-quiet">{managerOnly(me.role)}</p>}
      </div>

      {progress && (
        <Panel>
          <p className="mb-2">
            Uploading <strong>{progress.name}</strong>: {formatBytes(progress.loaded)} of {formatBytes(progress.total)}
          </p>
          <ProgressBar value={progress.loaded} max={progress.total} label={`Uploading ${progress.name}`} />
          {progress.loaded >= progress.total && <p className="mt-2 text-sm text-quiet">Reading the file and suggesting a mapping…</p>}
          <Button variant="secondary" className="mt-3" onClick={() => abortRef.current?.abort()}>
            Cancel upload
          </Button>
        </Panel>
      )}

      {error !== null && <ErrorAlert error={error} title="The file was not accepted" />}

      {upload && !progress && (
        <Panel as="section" aria-labelledby="upload-summary">
          <h3 id="upload-summary" className="font-semibold">
            {upload.filename}
          </h3>
          <p className="mt-1">
            Found <strong>{formatNumber(upload.rowCount)}</strong> {ENTITY_LABELS[upload.entityType].many} rows in {upload.headers.length} columns ({formatBytes(upload.sizeBytes)}).
          </p>
          <p className="mt-1 text-sm text-quiet">
            {upload.detectedSource ? (
              <>
                Looks like a <strong className="text-ink">{crmName(upload.detectedSource)}</strong> export: {upload.detectedReason}
              </>
            ) : (
              <>Source not recognised ({upload.detectedReason}); the columns are matched by name and content.</>
            )}
          </p>
          <p className="mt-1 text-sm text-quiet">
            Encoding {upload.encoding}, {DELIMITERS[upload.delimiter] ?? `"${upload.delimiter}"`} separated.
          </p>
          {expectedSource && upload.detectedSource && upload.detectedSource !== 'csv' && upload.detectedSource !== expectedSource && (
            <Alert tone="warning" className="mt-3" title={`This looks like a ${crmName(upload.detectedSource)} file, not ${crmName(expectedSource)}`}>
              That is fine if it is the file you meant; the mapping below follows the file's own columns.
            </Alert>
          )}
          {upload.warnings.length > 0 && (
            <Alert tone="warning" className="mt-3" title="Worth knowing about this file">
              <ul className="list-disc pl-5">
                {upload.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </Alert>
          )}
        </Panel>
      )}

      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
        <Button onClick={next} disabled={!upload || !!progress || switching}>
          Continue to field mapping
        </Button>
      </div>
    </div>
  );
}
