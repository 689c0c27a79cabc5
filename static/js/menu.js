// The main menu folds behind a « Menu » button on small screens (disclosure pattern: the
// button's aria-expanded says whether the list is shown). Progressive enhancement: the button
// is hidden in the page and shown by this script, so without JavaScript the menu is simply
// shown in full; on wide screens the stylesheet ignores the folding.

const toggle = document.querySelector('.menu-toggle');
const menu = toggle && document.getElementById(toggle.getAttribute('aria-controls'));

if (toggle && menu) {
  const setOpen = (open) => {
    toggle.setAttribute('aria-expanded', String(open));
    menu.classList.toggle('menu-folded', !open);
  };
  setOpen(false);
  toggle.hidden = false;
  toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  // Escape folds the open menu again and gives the focus back to its button.
  menu.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') {
      setOpen(false);
      toggle.focus();
    }
  });
}
