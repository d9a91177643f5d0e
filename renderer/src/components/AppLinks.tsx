/** What the page shows of links and dropped files: the notice at the top, the drop overlay while dragging. */
import { AppLinkNotice } from './AppLinkNotice';
import { TeamFileDropTarget } from './TeamFileDropTarget';

export function AppLinks() {
  return (
    <>
      <AppLinkNotice />
      <TeamFileDropTarget />
    </>
  );
}
