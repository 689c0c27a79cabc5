// placeholder so that the module library exists until its first source lands
