import { useEffect, useRef, type ReactNode } from 'react';
import { fromInput, type PickedFile } from './picked-files';

export interface PickerInput {
  testId: string;
  /** The input's accessible name: the visible text is only "Choose files…". */
  label: string;
  accept?: string;
}

/**
 * "Choose files…" and "Choose a folder…" buttons over hidden file inputs, both handing the picked
 * files to onPick. `children` go at the end of the row (a busy note, for one).
 */
export function FilePickers({
  files,
  folder,
  busy,
  onPick,
  children,
}: {
  files: PickerInput;
  folder: PickerInput;
  busy: boolean | undefined;
  onPick: (picked: PickedFile[]) => Promise<unknown>;
  children?: ReactNode;
}) {
  async function onPicked(input: HTMLInputElement) {
    const picked = fromInput(input.files);
    // Cleared so that picking the same files again (after a failed import, say) reads them again.
    // The File objects taken above stay readable.
    input.value = '';
    await onPick(picked);
  }

  return (
    <div className="button-row">
      <PickerButton text="Choose files…" input={files} busy={busy} onPicked={onPicked} />
      <PickerButton text="Choose a folder…" input={folder} busy={busy} onPicked={onPicked} folder />
      {children}
    </div>
  );
}

function PickerButton({
  text,
  input,
  busy,
  folder = false,
  onPicked,
}: {
  text: string;
  input: PickerInput;
  busy: boolean | undefined;
  folder?: boolean;
  onPicked: (input: HTMLInputElement) => Promise<void>;
}) {
  const ref = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!folder) return;
    // React has no typed prop for these; without them the browser shows a file picker.
    ref.current?.setAttribute('webkitdirectory', '');
    ref.current?.setAttribute('directory', '');
  }, [folder]);

  return (
    <label className="button file-button">
      {text}
      <input
        ref={ref}
        type="file"
        multiple
        accept={input.accept}
        className="visually-hidden"
        data-testid={input.testId}
        aria-label={input.label}
        disabled={busy}
        onChange={(e) => void onPicked(e.currentTarget)}
      />
    </label>
  );
}
