import type { WorkspaceView } from '@lumio/protocol';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useNavigate } from 'react-router';

/** The workspace menu: switch to another workspace of the account, or create one. */
export function WorkspaceSwitcher({ current, workspaces }: { current: WorkspaceView; workspaces: WorkspaceView[] }) {
  const navigate = useNavigate();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="workspace-switcher">
        <span className="sr-only">Switch workspace. Current: </span>
        <span className="workspace-name">{current.name}</span>
        <span className="muted small">{current.role}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="start" sideOffset={4}>
          {workspaces.map((w) => (
            <DropdownMenu.Item key={w.id} className="menu-item" onSelect={() => navigate(`/w/${w.id}`)}>
              {w.name} <span className="muted small">{w.role}</span>
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Item className="menu-item" onSelect={() => navigate('/workspaces/new')}>
            New workspace…
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
