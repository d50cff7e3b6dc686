<?php
// php -S router for a real WordPress copied to ./wp: static files as they are, PHP files run, every other
// path through WordPress's index.php (pretty permalinks, so /wp-json/… reaches the REST API).
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$file = __DIR__ . '/wp' . $path;
if ($path !== '/' && is_file($file) && !str_ends_with($path, '.php')) {
    return false;
}
if ($path !== '/' && is_file($file)) {
    require $file;
    return true;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/wp/index.php';
