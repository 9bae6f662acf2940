/** An in-app link: a real href (deep link, open in new tab) that navigates without a reload. */
import type { ComponentChildren } from 'preact';
import { basePath, onLinkClick } from '../router.js';

export function Link({
  href,
  children,
  class: cls,
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <a href={basePath() + href} class={cls} onClick={(e) => onLinkClick(e, href)}>
      {children}
    </a>
  );
}
