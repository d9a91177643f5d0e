/**
 * Drag a team file onto the window and its summary opens (the same as "Open team file…"); while
 * files are dragged over, the window says what dropping will do. Anything else dropped says why
 * it cannot be opened. A dropped file is always kept from the browser, which would otherwise
 * navigate away to show it.
 */
import { useEffect, useState } from 'react';
import { useAppLinks } from '../state/stores';

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function TeamFileDropTarget() {
  const openDroppedFiles = useAppLinks((state) => state.openDroppedFiles);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every element crossed: count them to know when the window is left.
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth += 1;
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const drop = (event: DragEvent) => {
      // Text dragged into a field is the field's business.
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length > 0) void openDroppedFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [openDroppedFiles]);

  if (!dragging) return null;
  return (
    <div className="drop-target" data-testid="drop-target" aria-hidden="true">
      <p className="drop-target__text">Drop a team file to see what it will clone</p>
    </div>
  );
}
