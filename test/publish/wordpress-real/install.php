<?php
// Installs the copied WordPress into its empty database and creates the application password bantin uses.
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1:' . getenv('WP_PORT');
$_SERVER['REQUEST_URI'] = '/';
require __DIR__ . '/wp/wp-load.php';
require ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Cổng thông tin Tỉnh ủy', 'bientap', 'bientap@example.com', true, '', 'mat-khau-wp-1');
update_option('siteurl', 'http://127.0.0.1:' . getenv('WP_PORT'));
update_option('home', 'http://127.0.0.1:' . getenv('WP_PORT'));
update_option('permalink_structure', '/%postname%/');
$user = get_user_by('login', 'bientap');
[$password] = WP_Application_Passwords::create_new_application_password($user->ID, ['name' => 'bantin']);
echo json_encode(['password' => $password]);
